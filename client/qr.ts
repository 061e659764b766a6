/**
 * A QR code as one SVG path (runs of dark modules per row), drawn by components/QrCode.tsx.
 * The browser loads this module only once a link exists, so the encoder does not weigh on the
 * landing page's first load.
 */
import { encode } from "uqr";

export interface QrShape {
  /** Modules per side, quiet zone included. */
  size: number;
  path: string;
}

export function qrShape(text: string): QrShape {
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  let path = "";
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!data[y][x]) continue;
      let run = 1;
      while (x + run < size && data[y][x + run]) run++;
      path += `M${x} ${y}h${run}v1h-${run}z`;
      x += run - 1;
    }
  }
  return { size, path };
}
