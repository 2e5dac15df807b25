package io.beeperkeeper.sensor.bme680;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The register maps and expectations computed independently by tools/bme68x_vectors.py. */
final class Bme68xVectors {
    record Vector(String name, byte[] registers, double[] doubles, long[] integers, boolean overflowBranch) {
        @Override
        public String toString() {
            return name;
        }
    }

    record ResHeat(int target, int ambient, int expectedDouble, int expectedInt) {
    }

    static final List<Vector> VECTORS = new ArrayList<>();
    static final List<ResHeat> RES_HEAT = new ArrayList<>();

    static {
        try (InputStream in = Bme68xVectors.class.getResourceAsStream("/bme68x/vectors.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f[0].equals("res_heat")) {
                    RES_HEAT.add(new ResHeat(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4])));
                    continue;
                }
                double[] d = new double[4];
                long[] n = new long[4];
                for (int i = 0; i < 4; i++) {
                    d[i] = Double.parseDouble(f[2 + i]);
                    n[i] = Long.parseLong(f[6 + i]);
                }
                VECTORS.add(new Vector(f[0], HexFormat.of().parseHex(f[1]), d, n, Boolean.parseBoolean(f[10])));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Vector named(String name) {
        return VECTORS.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    private Bme68xVectors() {
    }
}
