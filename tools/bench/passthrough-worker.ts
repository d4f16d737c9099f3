// Bench baseline for the site middleware: a plain pass-through Worker in front of the same demo
// origin the edgesplit Worker uses (no assignment, no cookies, no HTML rewriting).
import { demoOrigin } from '../../src/demo/site'

export default { fetch: (request: Request) => demoOrigin(request) }
