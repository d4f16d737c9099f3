/**
 * Compiles a path or host pattern where `*` matches any run of characters (including `/`) and
 * everything else is literal, anchored at both ends.
 * @example globToRegExp('/blog/*').test('/blog/a/b') // true
 */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}$`, 'i')
}
