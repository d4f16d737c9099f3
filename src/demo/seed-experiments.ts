import type { ExperimentCreate } from '../core/experiment'

// Seed 001's two events: the click is what the experiments are about; the pageview (sent by the
// tracking script on every page) is a secondary sanity metric, close to 100% in every variant.
const clicks = [
  { key: 'button_click', type: 'binomial', event: 'button_click', role: 'primary', name: 'Clicked "Reserve Your Spot"' },
  { key: 'pageview', type: 'binomial', event: 'pageview', role: 'secondary', name: 'Viewed the page' },
] as const

/** Seed 001's experiments, created and started the first time the dev server finds no config. */
export const DEMO_EXPERIMENTS: Array<Partial<ExperimentCreate> & Pick<ExperimentCreate, 'key' | 'title' | 'variants'>> = [
  {
    key: 'moon_mars',
    title: 'Moon/Mars',
    description: 'Seed 001: which destination sells more trips? The banner headline is "Walk on the Moon" or "Journey to Mars".',
    variants: [
      { key: 'Moon', weight: 50 },
      { key: 'Mars', weight: 50 },
    ],
    fallback: 'Moon',
    metrics: [...clicks],
  },
  {
    key: 'white_gold_btn',
    title: 'White/Gold',
    description: 'Seed 001: does a gold "Reserve Your Spot" button get more clicks than a white one?',
    variants: [
      { key: 'White', weight: 50 },
      { key: 'Gold', weight: 50 },
    ],
    fallback: 'White',
    metrics: [...clicks],
  },
]
