#!/usr/bin/env python3
"""Independent expectations for the BME68x register-map tests (Bme68xCompensationTest).

Written from the compensation formulas, not from the Java port: the float path is evaluated in plain
double precision (the Java float results must agree to 1e-5 relative), the integer path step by step
with explicit C semantics (int32 wrap-around, truncating division, arithmetic shifts).
Run: python3 tools/bme68x_vectors.py src/test/resources/bme68x/vectors.tsv
"""

def s32(x):
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x & 0x80000000 else x

def cdiv(a, b):  # C division truncates toward zero
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q

CAL = dict(t1=25944, t2=26435, t3=3, p1=36212, p2=-10355, p3=88, p4=7092, p5=-125, p6=30, p7=69,
           p8=-3141, p9=-1793, p10=30, h1=779, h2=1012, h3=0, h4=45, h5=20, h6=120, h7=-100,
           gh1=-30, gh2=-5969, gh3=18, res_heat_range=1, res_heat_val=40, range_sw_err=-1)

def registers(cal, variant, temp_adc, pres_adc, hum_adc, gas_adc, gas_range, status_bits):
    r = [0] * 256
    c = [0] * 42
    def put16(lo, hi, v):
        v &= 0xFFFF; c[lo] = v & 0xFF; c[hi] = v >> 8
    put16(0, 1, cal['t2']); c[2] = cal['t3'] & 0xFF
    put16(4, 5, cal['p1']); put16(6, 7, cal['p2']); c[8] = cal['p3'] & 0xFF
    put16(10, 11, cal['p4']); put16(12, 13, cal['p5']); c[14] = cal['p7'] & 0xFF; c[15] = cal['p6'] & 0xFF
    put16(18, 19, cal['p8']); put16(20, 21, cal['p9']); c[22] = cal['p10'] & 0xFF
    c[23] = cal['h2'] >> 4; c[24] = ((cal['h2'] & 0x0F) << 4) | (cal['h1'] & 0x0F); c[25] = cal['h1'] >> 4
    c[26] = cal['h3'] & 0xFF; c[27] = cal['h4'] & 0xFF; c[28] = cal['h5'] & 0xFF; c[29] = cal['h6'] & 0xFF
    c[30] = cal['h7'] & 0xFF; put16(31, 32, cal['t1']); put16(33, 34, cal['gh2']); c[35] = cal['gh1'] & 0xFF
    c[36] = cal['gh3'] & 0xFF; c[37] = cal['res_heat_val'] & 0xFF; c[39] = (cal['res_heat_range'] << 4) | 0x0A
    c[41] = ((cal['range_sw_err'] & 0x0F) << 4) | 0x05
    for i in range(23): r[0x8A + i] = c[i]
    for i in range(14): r[0xE1 + i] = c[23 + i]
    for i in range(5): r[0x00 + i] = c[37 + i]
    r[0xD0] = 0x61; r[0xF0] = variant
    r[0x1D] = 0x80; r[0x1E] = 7
    r[0x1F] = pres_adc >> 12; r[0x20] = (pres_adc >> 4) & 0xFF; r[0x21] = (pres_adc & 0xF) << 4
    r[0x22] = temp_adc >> 12; r[0x23] = (temp_adc >> 4) & 0xFF; r[0x24] = (temp_adc & 0xF) << 4
    r[0x25] = hum_adc >> 8; r[0x26] = hum_adc & 0xFF
    gas_lsb = ((gas_adc & 3) << 6) | status_bits | gas_range
    if variant == 1:
        r[0x2C] = gas_adc >> 2; r[0x2D] = gas_lsb; r[0x2A] = 0x12; r[0x2B] = 0x04  # low-range regs: noise
    else:
        r[0x2A] = gas_adc >> 2; r[0x2B] = gas_lsb; r[0x2C] = 0x34; r[0x2D] = 0x09  # high-range regs: noise
    return r

# ---- double precision, straight from the formulas
def float_path(cal, variant, T, P, H, G, rng):
    var1 = (T / 16384.0 - cal['t1'] / 1024.0) * cal['t2']
    var2 = ((T / 131072.0 - cal['t1'] / 8192.0) ** 2) * (cal['t3'] * 16.0)
    t_fine = var1 + var2
    temp = t_fine / 5120.0
    var1 = t_fine / 2.0 - 64000.0
    var2 = var1 * var1 * (cal['p6'] / 131072.0)
    var2 = var2 + var1 * cal['p5'] * 2.0
    var2 = var2 / 4.0 + cal['p4'] * 65536.0
    var1 = (cal['p3'] * var1 * var1 / 16384.0 + cal['p2'] * var1) / 524288.0
    var1 = (1.0 + var1 / 32768.0) * cal['p1']
    pres = 1048576.0 - P
    pres = (pres - var2 / 4096.0) * 6250.0 / var1
    var1 = cal['p9'] * pres * pres / 2147483648.0
    var2 = pres * (cal['p8'] / 32768.0)
    var3 = (pres / 256.0) ** 3 * (cal['p10'] / 131072.0)
    pres = pres + (var1 + var2 + var3 + cal['p7'] * 128.0) / 16.0
    var1 = H - (cal['h1'] * 16.0 + (cal['h3'] / 2.0) * temp)
    var2 = var1 * (cal['h2'] / 262144.0 * (1.0 + cal['h4'] / 16384.0 * temp + cal['h5'] / 1048576.0 * temp * temp))
    hum = var2 + (cal['h6'] / 16384.0 + cal['h7'] / 2097152.0 * temp) * var2 * var2
    hum = min(100.0, max(0.0, hum))
    if variant == 1:
        gas = 1e6 * (262144 >> rng) / (4096 + 3 * (G - 512))
    else:
        k1 = [0, 0, 0, 0, 0, -1, 0, -0.8, 0, 0, -0.2, -0.5, 0, -1, 0, 0][rng]
        k2 = [0, 0, 0, 0, 0.1, 0.7, 0, -0.8, -0.1, 0, 0, 0, 0, 0, 0, 0][rng]
        v1 = 1340.0 + 5.0 * cal['range_sw_err']
        v2 = v1 * (1.0 + k1 / 100.0)
        v3 = 1.0 + k2 / 100.0
        gas = 1.0 / (v3 * 0.000000125 * (1 << rng) * ((G - 512.0) / v2 + 1.0))
    return temp, pres, hum, gas

def res_heat_double(cal, target, amb):
    v1 = cal['gh1'] / 16.0 + 49.0
    v2 = cal['gh2'] / 32768.0 * 0.0005 + 0.00235
    v3 = cal['gh3'] / 1024.0
    v4 = v1 * (1.0 + v2 * min(target, 400))
    v5 = v4 + v3 * amb
    return int(3.4 * (v5 * (4 / (4 + cal['res_heat_range'])) * (1 / (1 + cal['res_heat_val'] * 0.002)) - 25))

# ---- integer path, step by step with C semantics
def int_path(cal, variant, T, P, H, G, rng):
    var1 = (T >> 3) - (cal['t1'] << 1)             # int32, then int64
    var2 = (var1 * cal['t2']) >> 11
    var3 = ((var1 >> 1) * (var1 >> 1)) >> 12
    var3 = (var3 * (cal['t3'] << 4)) >> 14
    t_fine = s32(var2 + var3)
    temp = ((t_fine * 5) + 128) >> 8               # int16
    # pressure, int32 throughout
    v1 = (t_fine >> 1) - 64000
    v2 = s32(s32(s32(((v1 >> 2) * (v1 >> 2))) >> 11) * cal['p6']) >> 2
    v2 = s32(v2 + s32(s32(v1 * cal['p5']) << 1))
    v2 = s32((v2 >> 2) + (cal['p4'] << 16))
    v1 = s32((s32(s32((s32((v1 >> 2) * (v1 >> 2)) >> 13)) * (cal['p3'] << 5)) >> 3) + (s32(cal['p2'] * v1) >> 1))
    v1 = v1 >> 18
    v1 = s32((32768 + v1) * cal['p1']) >> 15
    pc = s32(1048576 - P)
    pc = s32((pc - (v2 >> 12)) * 3125)
    overflow_branch = pc >= 0x40000000
    pc = s32(cdiv(pc, v1) << 1) if overflow_branch else cdiv(s32(pc << 1), v1)
    v1 = s32(cal['p9'] * (s32((pc >> 3) * (pc >> 3)) >> 13)) >> 12
    v2 = s32((pc >> 2) * cal['p8']) >> 13
    v3 = s32(s32(s32((pc >> 8) * (pc >> 8)) * (pc >> 8)) * cal['p10']) >> 17
    pres = s32(pc + ((v1 + v2 + v3 + (cal['p7'] << 7)) >> 4)) & 0xFFFFFFFF
    # humidity
    ts = ((t_fine * 5) + 128) >> 8
    h1 = (H - cal['h1'] * 16) - (cdiv(ts * cal['h3'], 100) >> 1)
    h2 = (cal['h2'] * (cdiv(ts * cal['h4'], 100) + cdiv((ts * cdiv(ts * cal['h5'], 100)) >> 6, 100) + (1 << 14))) >> 10
    h3 = s32(h1 * h2)
    h4 = ((cal['h6'] << 7) + cdiv(ts * cal['h7'], 100)) >> 4
    h5 = s32((h3 >> 14) * (h3 >> 14)) >> 10
    h6 = s32(h4 * h5) >> 1
    hum = s32(((s32(h3 + h6) >> 10) * 1000)) >> 12
    hum = min(100000, max(0, hum))
    if variant == 1:
        g1 = 262144 >> rng
        g2 = 4096 + (G - 512) * 3
        gas = (((10000 * g1) & 0xFFFFFFFF) // g2 * 100) & 0xFFFFFFFF
    else:
        t1 = [2147483647, 2147483647, 2147483647, 2147483647, 2147483647, 2126008810, 2147483647, 2130303777,
              2147483647, 2147483647, 2143188679, 2136746228, 2147483647, 2126008810, 2147483647, 2147483647]
        t2 = [4096000000, 2048000000, 1024000000, 512000000, 255744255, 127110228, 64000000, 32258064,
              16016016, 8000000, 4000000, 2000000, 1000000, 500000, 250000, 125000]
        g1 = ((1340 + 5 * cal['range_sw_err']) * t1[rng]) >> 16
        g2 = ((G << 15) - 16777216) + g1
        g3 = (t2[rng] * g1) >> 9
        gas = cdiv(g3 + (g2 >> 1), g2) & 0xFFFFFFFF
    return temp, pres, hum, gas, overflow_branch

def res_heat_int(cal, target, amb):
    temp = min(target, 400)
    v1 = cdiv(amb * cal['gh3'], 1000) * 256
    v2 = (cal['gh1'] + 784) * cdiv(cdiv((cal['gh2'] + 154009) * temp * 5, 100) + 3276800, 10)
    v3 = v1 + cdiv(v2, 2)
    v4 = cdiv(v3, cal['res_heat_range'] + 4)
    v5 = 131 * cal['res_heat_val'] + 65536
    x100 = (cdiv(v4, v5) - 250) * 34
    return cdiv(x100 + 50, 100) & 0xFF

VECTORS = [
    # name, variant, temp_adc, pres_adc, hum_adc, gas_adc, gas_range, status bits (gas_valid 0x20 | heat_stab 0x10)
    ("bme680_room", 0, 502000, 380000, 22000, 402, 5, 0x30),
    ("bme688_room", 1, 502000, 380000, 22000, 402, 5, 0x30),
    ("bme680_no_overflow_branch", 0, 470000, 730000, 30000, 700, 9, 0x20),
    ("bme688_cold_unstable", 1, 420000, 420000, 18000, 100, 2, 0x00),
]

def write_tsv(path):
    with open(path, "w") as out:
        out.write("# generated by tools/bme68x_vectors.py: name, registers 0x00-0xFF, double t p h g, int t p h g, overflow branch\n")
        for name, variant, T, P, H, G, rng, st in VECTORS:
            regs = registers(CAL, variant, T, P, H, G, rng, st)
            f = float_path(CAL, variant, T, P, H, G, rng)
            i = int_path(CAL, variant, T, P, H, G, rng)
            out.write("\t".join([name, "".join("%02x" % b for b in regs)] + ["%.12g" % v for v in f]
                                 + [str(v) for v in i[:4]] + [str(i[4]).lower()]) + "\n")
        for amb in (25, 10, -5):
            out.write("\t".join(["res_heat", "320", str(amb), str(res_heat_double(CAL, 320, amb)), str(res_heat_int(CAL, 320, amb))]) + "\n")

if __name__ == "__main__":
    import sys
    if len(sys.argv) > 1:
        write_tsv(sys.argv[1])
    for name, variant, T, P, H, G, rng, st in VECTORS:
        regs = registers(CAL, variant, T, P, H, G, rng, st)
        f = float_path(CAL, variant, T, P, H, G, rng)
        i = int_path(CAL, variant, T, P, H, G, rng)
        print(name)
        print("  regs = " + "".join("%02x" % b for b in regs))
        print("  double: t=%.10g p=%.10g h=%.10g g=%.10g" % f)
        print("  int: t=%d p=%d h=%d g=%d overflow_branch=%s" % i)
    for amb in (25, 10):
        print("res_heat(320, amb=%d): double=%d int=%d" % (amb, res_heat_double(CAL, 320, amb), res_heat_int(CAL, 320, amb)))
