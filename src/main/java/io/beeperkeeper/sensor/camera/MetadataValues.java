package io.beeperkeeper.sensor.camera;

/** Turns a metadata value as rpicam writes it into a Double, a Boolean or the text itself. */
final class MetadataValues {
    private MetadataValues() {
    }

    static Object parse(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        if (!v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-' || v.charAt(0) == '.')) {
            try {
                return Double.valueOf(v);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }
}
