#!/usr/bin/env node
/*
 * Draws the CALS icons (a licence card reading "CAL") and writes them as PNGs into assets/.
 * No image package needed: the pixels are computed here and the PNG chunks are written by
 * hand with Node's zlib. Run with `npm run icons`; the PNGs are committed.
 *
 *   icon-16/20/32/64/80/128.png  the add-in and ribbon icons (20 px: the ribbon at 125% scaling)
 *   logo-filled.png           128 px copy for the task pane header
 */
"use strict";

/* global require, process, console, __dirname, module, Buffer */

const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const BRAND = [0x0b, 0x6a, 0x8a]; // CALS teal-blue
const BRAND_DARK = [0x07, 0x4a, 0x61];
const WHITE = [0xff, 0xff, 0xff];
const SIZES = [16, 20, 32, 64, 80, 128];
const OUT = path.join(__dirname, "..", "assets");

// ---------- PNG writing ----------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** rgba: Uint8Array of width*height*4, straight (not premultiplied) alpha. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter
  ihdr[12] = 0; // no interlace
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(
      raw,
      y * (width * 4 + 1) + 1
    );
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------- drawing ----------

/** Inside test for a rounded rectangle. */
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * "CAL" as strokes in a unit box per letter (x 0..1, y 0..1, y down). Each letter is a list
 * of segments; the C is an open arc approximated by short segments.
 */
function letterSegments() {
  const c = [];
  const steps = 24;
  const a0 = Math.PI * 0.28;
  const a1 = Math.PI * 1.72;
  for (let i = 0; i < steps; i++) {
    const t0 = a0 + ((a1 - a0) * i) / steps;
    const t1 = a0 + ((a1 - a0) * (i + 1)) / steps;
    c.push([
      0.55 + 0.45 * Math.cos(t0),
      0.5 - 0.5 * Math.sin(t0),
      0.55 + 0.45 * Math.cos(t1),
      0.5 - 0.5 * Math.sin(t1),
    ]);
  }
  const a = [
    [0, 1, 0.5, 0],
    [0.5, 0, 1, 1],
    [0.22, 0.62, 0.78, 0.62],
  ];
  const l = [
    [0.1, 0, 0.1, 1],
    [0.1, 1, 0.95, 1],
  ];
  return [c, a, l];
}

/** 3x5 pixel font for the 16 px icon, where strokes would blur. */
const PIXEL_FONT = {
  C: ["111", "100", "100", "100", "111"],
  A: ["010", "101", "111", "101", "101"],
  L: ["100", "100", "100", "100", "111"],
};

function drawIcon(size) {
  const rgba = new Uint8Array(size * size * 4);
  const SS = 4; // supersampling per axis
  const m = size * 0.06; // margin around the card
  const card = { x0: m, y0: size * 0.16, x1: size - m, y1: size * 0.84, r: size * 0.12 };
  const stripeY1 = card.y0 + (card.y1 - card.y0) * 0.2; // darker band across the top of the card
  const pixelText = size < 24;

  // Text geometry (stroke font) for sizes >= 24.
  const letters = letterSegments();
  const textH = (card.y1 - card.y0) * 0.4;
  const letterW = textH * 0.72;
  const gap = textH * 0.22;
  const textW = letterW * 3 + gap * 2;
  const tx0 = (size - textW) / 2;
  const ty0 = stripeY1 + (card.y1 - stripeY1 - textH) / 2 - (card.y1 - card.y0) * 0.02;
  const stroke = Math.max(1.9, textH * 0.16);
  const segs = [];
  letters.forEach((letter, i) => {
    const ox = tx0 + i * (letterW + gap);
    for (const [ax, ay, bx, by] of letter) {
      segs.push([ox + ax * letterW, ty0 + ay * textH, ox + bx * letterW, ty0 + by * textH]);
    }
  });

  // Pixel text for 16 px: "CAL" = 3 letters x 3 px + 2 gaps = 11 px wide, 5 px tall.
  const pixelOn = new Set();
  if (pixelText) {
    const px0 = Math.round((size - 11) / 2);
    const py0 = Math.round(stripeY1 + (card.y1 - stripeY1 - 5) / 2);
    ["C", "A", "L"].forEach((ch, i) => {
      PIXEL_FONT[ch].forEach((row, ry) => {
        [...row].forEach((bit, rx) => {
          if (bit === "1") pixelOn.add(`${px0 + i * 4 + rx},${py0 + ry}`);
        });
      });
    });
  }

  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const px = x + (sx + 0.5) / SS;
          const py = y + (sy + 0.5) / SS;
          if (!inRoundRect(px, py, card.x0, card.y0, card.x1, card.y1, card.r)) continue;
          let col = py < stripeY1 ? BRAND_DARK : BRAND;
          if (pixelText) {
            if (pixelOn.has(`${x},${y}`)) col = WHITE;
          } else if (
            segs.some(([ax, ay, bx, by]) => distToSegment(px, py, ax, ay, bx, by) <= stroke / 2)
          ) {
            col = WHITE;
          }
          r += col[0];
          g += col[1];
          b += col[2];
          a += 1;
        }
      }
      const i = (y * size + x) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
        rgba[i + 3] = Math.round((255 * a) / (SS * SS));
      }
    }
  }
  return rgba;
}

function main() {
  fs.mkdirSync(OUT, { recursive: true });
  for (const size of SIZES) {
    const file = path.join(OUT, `icon-${size}.png`);
    fs.writeFileSync(file, encodePng(size, size, drawIcon(size)));
    console.log(`wrote ${path.relative(process.cwd(), file)} (${size}x${size})`);
  }
  const logo = path.join(OUT, "logo-filled.png");
  fs.writeFileSync(logo, encodePng(128, 128, drawIcon(128)));
  console.log(`wrote ${path.relative(process.cwd(), logo)} (128x128)`);
}

if (require.main === module) main();

module.exports = { encodePng, drawIcon };
