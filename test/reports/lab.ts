/**
 * CIELAB from sRGB, and the 1976 colour difference: enough to check that two colours of a chart
 * are told apart. sRGB is linearised by IEC 61966-2-1, taken to XYZ with the D65 matrix and to
 * L*a*b* with the CIE 1976 formulas, relative to the D65 white.
 */
export type Lab = [lightness: number, a: number, b: number];

const D65_WHITE = [0.95047, 1, 1.08883];

/** "#rrggbb" as L*a*b*; any other form of colour is an error that quotes it. */
export function labOf(hex: string): Lab {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) throw new Error(`labOf: "${hex}" is not a #rrggbb colour`);
  const [r, g, b] = [1, 3, 5].map((at) => linear(parseInt(hex.slice(at, at + 2), 16) / 255));
  const xyz = [
    0.4124564 * r + 0.3575761 * g + 0.1804375 * b,
    0.2126729 * r + 0.7151522 * g + 0.072175 * b,
    0.0193339 * r + 0.119192 * g + 0.9503041 * b,
  ];
  const [fx, fy, fz] = xyz.map((value, axis) => labCurve(value / D65_WHITE[axis]));
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 deltaE: the straight-line distance in L*a*b*; about 2.3 is a just-noticeable step. */
export function deltaE76(first: string, second: string): number {
  const [p, q] = [labOf(first), labOf(second)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

function linear(channel: number): number {
  return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
}

function labCurve(ratio: number): number {
  const epsilon = 216 / 24389;
  const kappa = 24389 / 27;
  return ratio > epsilon ? Math.cbrt(ratio) : (kappa * ratio + 16) / 116;
}
