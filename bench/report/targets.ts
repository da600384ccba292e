export interface TargetCheck {
  name: string;
  measured: number;
  /** `at least` (ratios) or `at most` (latency). */
  comparison: "at least" | "at most";
  target: number;
  unit: string;
  pass: boolean;
  /** What the figure is made of, e.g. `1234/s ÷ 5678/s`. */
  basis: string;
}

export function atLeast(
  name: string,
  measured: number,
  target: number,
  unit: string,
  basis: string,
): TargetCheck {
  return { name, measured, comparison: "at least", target, unit, pass: measured >= target, basis };
}

export function atMost(
  name: string,
  measured: number,
  target: number,
  unit: string,
  basis: string,
): TargetCheck {
  return { name, measured, comparison: "at most", target, unit, pass: measured <= target, basis };
}
