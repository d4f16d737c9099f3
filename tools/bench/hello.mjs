// Bench baseline: the cheapest possible module Worker. Every throughput row is compared with it.
export default {
  fetch() {
    return new Response('ok')
  },
}
