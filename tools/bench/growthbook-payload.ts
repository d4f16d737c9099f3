// The demo's two experiments (src/demo/seed-experiments.ts: moon_mars Moon/Mars 50/50,
// white_gold_btn White/Gold 50/50) in GrowthBook's SDK payload format, for the bench's GrowthBook row.
// Each is both a feature with an experiment rule (what GrowthBook's SDKs evaluate) and a visual
// experiment whose variations are the DOM changes between the demo page's variants: the edge app
// assigns those at the edge and rewrites the origin's HTML, the closest GrowthBook equivalent of
// edgesplit's middleware (assign at the edge, origin renders the variant, script injected).

const everyPage = [{ include: true, type: 'regex' as const, pattern: '.*' }]

/** GrowthBook's `FeatureApiResponse` for the demo's two experiments. */
export const GROWTHBOOK_PAYLOAD = {
  features: {
    moon_mars: {
      defaultValue: 'Moon',
      rules: [{ key: 'moon_mars', variations: ['Moon', 'Mars'], weights: [0.5, 0.5], coverage: 1, hashAttribute: 'id', hashVersion: 2 }],
    },
    white_gold_btn: {
      defaultValue: 'White',
      rules: [{ key: 'white_gold_btn', variations: ['White', 'Gold'], weights: [0.5, 0.5], coverage: 1, hashAttribute: 'id', hashVersion: 2 }],
    },
  },
  experiments: [
    {
      key: 'moon_mars',
      changeId: 'moon_mars',
      hashAttribute: 'id',
      hashVersion: 2,
      weights: [0.5, 0.5],
      coverage: 1,
      urlPatterns: everyPage,
      meta: [{ key: 'Moon' }, { key: 'Mars' }],
      variations: [
        { domMutations: [] },
        {
          domMutations: [
            // `set`, not remove + append: edge-utils 0.1.7 builds a Set from node-html-parser's
            // classNames string, so its remove/append split the class names into characters.
            { selector: '.banner', action: 'set', attribute: 'class', value: 'banner mars' },
            { selector: '.banner h1', action: 'set', attribute: 'html', value: 'Journey to Mars' },
            { selector: '.banner p', action: 'set', attribute: 'html', value: 'Be among the first humans to set foot on the Red Planet. Experience the adventure of a lifetime.' },
          ],
        },
      ],
    },
    {
      key: 'white_gold_btn',
      changeId: 'white_gold_btn',
      hashAttribute: 'id',
      hashVersion: 2,
      weights: [0.5, 0.5],
      coverage: 1,
      urlPatterns: everyPage,
      meta: [{ key: 'White' }, { key: 'Gold' }],
      variations: [{ domMutations: [] }, { domMutations: [{ selector: '.banner button', action: 'set', attribute: 'class', value: 'gold' }] }],
    },
  ],
}
