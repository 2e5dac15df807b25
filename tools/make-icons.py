#!/usr/bin/env python3
"""Draws the page's app icons (src/main/resources/web/icons/icon-*.png): a teal egg on the page's
dark blue, full bleed so phones may crop it to their own mask shape. Standard library only.
Run from the repository root: python3 tools/make-icons.py"""
import math
import struct
import zlib

BG = (0x0f, 0x17, 0x2a)
EGG = (0x14, 0xb8, 0xa6)
SHINE = (0x99, 0xf6, 0xe4)
SIZES = (32, 180, 192, 512)
OUT = "src/main/resources/web/icons/icon-%d.png"


def inside_egg(x, y):
    """x, y in [-1, 1] across the icon; the egg fills the middle 60 % (inside a maskable safe zone)."""
    v = (y - 0.03) / 0.60            # -1 at the egg's top, 1 at its bottom
    if abs(v) > 1:
        return False
    half_width = 0.46 * math.sqrt(1 - v * v) * (0.86 + 0.14 * v)   # narrower at the top
    return abs(x) <= half_width


def inside_shine(x, y):
    return ((x + 0.16) / 0.07) ** 2 + ((y + 0.22) / 0.13) ** 2 <= 1


def pixel(size, px, py, samples=4):
    acc = [0.0, 0.0, 0.0]
    for sy in range(samples):
        for sx in range(samples):
            x = (px + (sx + 0.5) / samples) / size * 2 - 1
            y = (py + (sy + 0.5) / samples) / size * 2 - 1
            c = SHINE if inside_shine(x, y) else EGG if inside_egg(x, y) else BG
            for i in range(3):
                acc[i] += c[i]
    return bytes(round(a / samples / samples) for a in acc)


def png(size):
    rows = b"".join(b"\x00" + b"".join(pixel(size, x, y) for x in range(size)) for y in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


for s in SIZES:
    with open(OUT % s, "wb") as f:
        f.write(png(s))
    print(OUT % s)
