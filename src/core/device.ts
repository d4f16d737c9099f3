/** Device classes targeting can select on. */
export const DEVICE_CLASSES = ['mobile', 'tablet', 'desktop'] as const
export type DeviceClass = (typeof DEVICE_CLASSES)[number]

const TABLET = /iPad|Tablet|PlayBook|Silk|Kindle|Android(?!.*Mobile)/i
const MOBILE = /Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini/i

/**
 * Device class from a User-Agent string, by the common "Mobi" convention (MDN, "Browser detection
 * using the user agent"); tablets are checked first because Android tablets omit "Mobile".
 * @example deviceClass('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)') // 'mobile'
 */
export function deviceClass(userAgent: string | undefined): DeviceClass {
  if (!userAgent) return 'desktop'
  if (TABLET.test(userAgent)) return 'tablet'
  if (MOBILE.test(userAgent)) return 'mobile'
  return 'desktop'
}

// Crawlers, link unfurlers and uptime monitors. Headless browsers and HTTP libraries (curl, fetch)
// are not listed: they are how teams test and simulate their own pages.
const BOT = /bot\b|bot[\/;-]|crawl|spider|slurp|mediapartners|facebookexternalhit|facebookcatalog|embedly|quora link preview|outbrain|pinterest|vkshare|w3c_validator|whatsapp|lighthouse|pingdom|uptimerobot|statuscake|datadog|newrelicpinger|scrapy|phantomjs|slackbot|discordbot|telegrambot|preview/i

/**
 * Whether a User-Agent belongs to a bot (crawler, link unfurler or uptime monitor).
 * Bots are never enrolled or counted.
 * @example isBot('Googlebot/2.1 (+http://www.google.com/bot.html)') // true
 */
export function isBot(userAgent: string | undefined): boolean {
  return !!userAgent && BOT.test(userAgent)
}
