// The dashboard's entry: each server-rendered page names its module in <body data-page>.
import { ApiError } from './api.js'
import { showError } from './dom.js'
import { startSession } from './session.js'

const PAGES = {
  list: () => import('./list.js'),
  experiment: () => import('./experiment.js'),
  form: () => import('./form.js'),
  'sample-size': () => import('./sample-size.js'),
  flags: () => import('./flags.js'),
  flag: () => import('./flag.js'),
}

const { page, experiment } = document.body.dataset
const view = document.getElementById('view')

startSession(
  async () => {
    try {
      await (await PAGES[page]()).render(view, experiment || null)
    } catch (error) {
      // A refusal from the API is explained on the page; anything else is a bug, so say it loudly.
      if (!(error instanceof ApiError)) console.error(error)
      showError(view, error)
    }
  },
  { needsToken: page !== 'sample-size' },
)
