// Bench baseline for the site middleware: a plain pass-through Worker in front of the same demo
// origin the edgesplit Worker uses (no assignment, no cookies, no HTML rewriting). With ORIGIN_URL
// set (the origin-latency scenario) it forwards to that origin over the network instead.
import { demoOrigin } from '../../src/demo/site'
import { onOrigin } from './network-origin'

export default {
  fetch(request: Request, env: { ORIGIN_URL?: string }): Promise<Response> {
    return env.ORIGIN_URL ? fetch(new Request(onOrigin(env.ORIGIN_URL, request), request)) : demoOrigin(request)
  },
}
