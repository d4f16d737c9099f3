/** A double-double number: the unevaluated sum hi + lo with |lo| ≤ ½ ulp(hi). */
export type Dd = readonly [hi: number, lo: number]
