package io.beeperkeeper.web;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WCAG 2 contrast of an element's text against the background it is drawn on, from the browser's
 * computed styles (the first ancestor with an opaque background colour).
 */
public final class Contrast {
    private static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([\\d.]+))?\\)");

    private Contrast() {
    }

    /** The contrast ratio, 1 to 21. */
    public static double of(JavascriptExecutor js, WebElement element) {
        @SuppressWarnings("unchecked")
        List<String> colours = (List<String>) js.executeScript("""
                const el = arguments[0];
                let e = el, bg = null;
                while (e && !bg) {
                  const c = getComputedStyle(e).backgroundColor;
                  if (!/^rgba\\(\\d+, \\d+, \\d+, 0\\)$/.test(c) && c !== 'transparent') bg = c;
                  e = e.parentElement;
                }
                return [getComputedStyle(el).color, bg || 'rgb(255, 255, 255)'];
                """, element);
        double[] fg = parse(colours.get(0));
        double[] bg = parse(colours.get(1));
        if (fg[3] < 1) { // a translucent text colour is blended over its background
            for (int i = 0; i < 3; i++) {
                fg[i] = fg[i] * fg[3] + bg[i] * (1 - fg[3]);
            }
        }
        double a = luminance(fg);
        double b = luminance(bg);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    private static double[] parse(String css) {
        Matcher m = RGB.matcher(css);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an rgb() colour: " + css);
        }
        return new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                m.group(4) == null ? 1 : Double.parseDouble(m.group(4))};
    }

    private static double luminance(double[] rgb) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = rgb[i] / 255;
            c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }
}
