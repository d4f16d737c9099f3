/** The descriptions of the targeting query parameters both GET forms take (unit-request.ts's TARGETING_QUERY). */
export const TARGETING_QUERY_DOCS: Record<string, string> = {
  'attr.<name>': 'a targeting attribute (string); use POST for typed attributes',
  country: "ISO country code (default: the request's cf.country)",
  userAgent: "the end user's User-Agent (device class and bot filter)",
  path: 'page path for path targeting',
  host: 'host for host targeting',
}
