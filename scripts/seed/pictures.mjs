// Product pictures drawn on this machine at seed time (never downloaded): a
// soft background, the product's shape in its colour, a highlight and a
// shadow, drawn at twice the size and scaled down so the edges are smooth,
// written as PNG with node's zlib. One shape per kind of product.
import { deflateSync } from 'node:zlib';

const SIZE = 360;
const SS = 2; // supersampling
const W = SIZE * SS;

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
/** RGB pixels (width × height × 3) as a PNG file. */
export function encodePng(width, height, rgb) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

class Canvas {
  constructor() {
    this.px = Buffer.alloc(W * W * 3);
  }
  set(x, y, c, alpha = 1) {
    if (x < 0 || y < 0 || x >= W || y >= W) return;
    const i = (y * W + x) * 3;
    for (let k = 0; k < 3; k++) this.px[i + k] = Math.round(this.px[i + k] * (1 - alpha) + c[k] * alpha);
  }
  background(top, bottom) {
    for (let y = 0; y < W; y++) {
      const c = mix(top, bottom, y / W);
      for (let x = 0; x < W; x++) this.set(x, y, c);
    }
  }
  /** Fills where `inside(x, y)` holds (coordinates 0..1 of the picture), shading top-left lighter. */
  fill(inside, colour, opts = {}) {
    const light = mix(colour, [255, 255, 255], 0.25);
    const dark = mix(colour, [0, 0, 0], 0.25);
    for (let y = 0; y < W; y++) {
      const v = y / W;
      for (let x = 0; x < W; x++) {
        const u = x / W;
        if (!inside(u, v)) continue;
        this.set(x, y, opts.flat ? colour : mix(light, dark, (u + v) / 2), opts.alpha ?? 1);
      }
    }
  }
  /** Averages each SS×SS block: the picture at its real size. */
  scaled() {
    const out = Buffer.alloc(SIZE * SIZE * 3);
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++)
        for (let k = 0; k < 3; k++) {
          let s = 0;
          for (let dy = 0; dy < SS; dy++) for (let dx = 0; dx < SS; dx++) s += this.px[((y * SS + dy) * W + x * SS + dx) * 3 + k];
          out[(y * SIZE + x) * 3 + k] = Math.round(s / (SS * SS));
        }
    return out;
  }
}

const ellipse = (cx, cy, rx, ry) => (u, v) => ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2 <= 1;
const rect = (x0, y0, x1, y1) => (u, v) => u >= x0 && u <= x1 && v >= y0 && v <= y1;
const roundRect = (x0, y0, x1, y1, r) => (u, v) => {
  if (!rect(x0, y0, x1, y1)(u, v)) return false;
  const cx = Math.min(Math.max(u, x0 + r), x1 - r);
  const cy = Math.min(Math.max(v, y0 + r), y1 - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
};
/** Between two x edges that change linearly from y0 to y1 (a trapezoid). */
const trapezoid = (y0, y1, topL, topR, botL, botR) => (u, v) => {
  if (v < y0 || v > y1) return false;
  const t = (v - y0) / (y1 - y0);
  return u >= topL + (botL - topL) * t && u <= topR + (botR - topR) * t;
};
const ring = (cx, cy, r, w) => (u, v) => {
  const d = Math.hypot(u - cx, v - cy);
  return d <= r && d >= r - w;
};
const any = (...shapes) => (u, v) => shapes.some((s) => s(u, v));
const but = (shape, hole) => (u, v) => shape(u, v) && !hole(u, v);

/** The shapes of each kind of product, in picture coordinates (0..1). */
const SHAPES = {
  cup: () => any(trapezoid(0.38, 0.72, 0.3, 0.7, 0.36, 0.64), ellipse(0.5, 0.73, 0.16, 0.03), but(ring(0.72, 0.52, 0.1, 0.035), (u) => u < 0.68)),
  teapot: () => any(ellipse(0.5, 0.58, 0.24, 0.18), ellipse(0.5, 0.4, 0.1, 0.04), ellipse(0.5, 0.36, 0.03, 0.03), trapezoid(0.45, 0.6, 0.7, 0.74, 0.8, 0.85), but(ring(0.27, 0.57, 0.12, 0.035), (u) => u > 0.3)),
  bowl: () => any(but(ellipse(0.5, 0.5, 0.3, 0.24), rect(0, 0, 1, 0.5)), ellipse(0.5, 0.5, 0.3, 0.05), rect(0.42, 0.72, 0.58, 0.76)),
  vase: () => any(ellipse(0.5, 0.6, 0.18, 0.2), rect(0.44, 0.25, 0.56, 0.45), ellipse(0.5, 0.25, 0.09, 0.03)),
  shirt: () => but(any(rect(0.33, 0.3, 0.67, 0.82), trapezoid(0.3, 0.46, 0.24, 0.34, 0.14, 0.3), trapezoid(0.3, 0.46, 0.66, 0.76, 0.7, 0.86)), ellipse(0.5, 0.3, 0.07, 0.04)),
  scarf: () => any(roundRect(0.2, 0.3, 0.8, 0.48, 0.05), roundRect(0.55, 0.3, 0.7, 0.8, 0.04)),
  dress: () => any(trapezoid(0.25, 0.85, 0.38, 0.62, 0.22, 0.78), ellipse(0.5, 0.25, 0.12, 0.06)),
  hat: () => any(ellipse(0.5, 0.62, 0.34, 0.07), ellipse(0.5, 0.5, 0.16, 0.14)),
  lamp: () => any(trapezoid(0.2, 0.45, 0.38, 0.62, 0.26, 0.74), rect(0.48, 0.45, 0.52, 0.75), ellipse(0.5, 0.77, 0.15, 0.04)),
  cushion: () => roundRect(0.2, 0.28, 0.8, 0.72, 0.12),
  basket: () => any(trapezoid(0.45, 0.78, 0.22, 0.78, 0.28, 0.72), but(ring(0.5, 0.48, 0.22, 0.03), rect(0, 0.47, 1, 1))),
  notebook: () => any(roundRect(0.28, 0.2, 0.72, 0.8, 0.02), rect(0.26, 0.2, 0.3, 0.8)),
  pen: () => (u, v) => Math.abs((u - 0.5) + (v - 0.5)) < 0.045 && Math.abs(u - v) < 0.6,
  brush: () => any((u, v) => Math.abs(u - 0.5) < 0.025 && v > 0.18 && v < 0.62, trapezoid(0.62, 0.82, 0.47, 0.53, 0.5, 0.5)),
  knife: () => any((u, v) => v >= 0.18 && v <= 0.6 && u >= 0.45 && u <= 0.45 + 0.11 * Math.sqrt((v - 0.18) / 0.42), roundRect(0.44, 0.6, 0.56, 0.86, 0.03)),
  pot: () => any(roundRect(0.25, 0.4, 0.75, 0.75, 0.05), rect(0.12, 0.45, 0.25, 0.49), rect(0.75, 0.45, 0.88, 0.49), ellipse(0.5, 0.4, 0.26, 0.04)),
  board: () => any(roundRect(0.2, 0.3, 0.75, 0.75, 0.04), ellipse(0.82, 0.52, 0.07, 0.05)),
  leaf: () => any((u, v) => { const t = (v - 0.2) / 0.6; if (t < 0 || t > 1) return false; const half = 0.22 * Math.sin(Math.PI * t); return Math.abs(u - 0.5) < half; }),
  jar: () => any(roundRect(0.3, 0.35, 0.7, 0.8, 0.08), roundRect(0.33, 0.25, 0.67, 0.36, 0.03)),
  box: () => any(roundRect(0.22, 0.35, 0.78, 0.78, 0.02), rect(0.2, 0.3, 0.8, 0.4), rect(0.47, 0.3, 0.53, 0.78)),
  bag: () => any(roundRect(0.22, 0.38, 0.78, 0.82, 0.06), but(ring(0.5, 0.4, 0.16, 0.035), rect(0, 0.4, 1, 1))),
  wallet: () => any(roundRect(0.22, 0.35, 0.78, 0.68, 0.05), roundRect(0.55, 0.45, 0.8, 0.58, 0.03)),
  bottle: () => any(roundRect(0.37, 0.35, 0.63, 0.82, 0.06), rect(0.45, 0.22, 0.55, 0.36), rect(0.43, 0.17, 0.57, 0.23)),
  soap: () => roundRect(0.26, 0.36, 0.74, 0.66, 0.1),
};
export const SHAPE_NAMES = Object.keys(SHAPES);

/**
 * A product's picture: `shape` (one of SHAPE_NAMES) in `colour` (#rrggbb)
 * on a background of `tint`, with a shadow and a highlight; a PNG Buffer.
 */
export function drawPicture(shape, colour, tint = '#f4efe6') {
  const c = new Canvas();
  const bg = hex(tint);
  c.background(mix(bg, [255, 255, 255], 0.5), bg);
  const body = (SHAPES[shape] ?? SHAPES.box)();
  c.fill(ellipse(0.5, 0.86, 0.3, 0.035), [0, 0, 0], { flat: true, alpha: 0.12 });
  c.fill(body, hex(colour));
  c.fill((u, v) => body(u, v) && ellipse(0.42, 0.45, 0.06, 0.1)(u, v), [255, 255, 255], { flat: true, alpha: 0.22 });
  return encodePng(SIZE, SIZE, c.scaled());
}
