/**
 * The spec-matrix rule shared by catalog (which enforces it) and the seller
 * portal's SKU editor (which draws it): a product has exactly one SKU per
 * combination of its chosen spec values. Plain functions without zod, so a
 * browser bundle can import them alone (`@emporium/contracts/sku-matrix`).
 */
export type SpecCombo = Record<string, string>;

/** Canonical key of a spec-value combination: keys sorted, `colour=red;size=m`. */
export function comboKey(values: SpecCombo): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${k}=${values[k]}`)
    .join(';');
}

/** Every combination of the chosen values, in the order the specs were given. */
export function cartesian(specs: readonly { key: string; values: readonly string[] }[]): SpecCombo[] {
  return specs.reduce<SpecCombo[]>((acc, spec) => acc.flatMap((partial) => spec.values.map((v) => ({ ...partial, [spec.key]: v }))), [{}]);
}
