package io.beeperkeeper.motion;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * An event's thumbnail: the small picture detection looked at, in colour, as a JPEG of a few kB. It
 * is made in the JVM from the decoded picture the hub already has, so it costs no extra decode.
 */
final class Thumbnails {
    private Thumbnails() {
    }

    /** The picture as JPEG; empty when it cannot be encoded (a JVM without an image encoder). */
    static byte[] jpeg(Picture p) {
        int w = p.width();
        int h = p.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] y = p.luma();
        byte[] c = p.chroma();
        int cw = w / 2;
        int quarter = cw * (h / 2);
        boolean colour = c.length >= 2 * quarter;
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int luma = y[row * w + col] & 0xff;
                int r = luma;
                int g = luma;
                int b = luma;
                if (colour) {
                    int ci = (row / 2) * cw + col / 2;
                    int u = (c[ci] & 0xff) - 128;
                    int v = (c[quarter + ci] & 0xff) - 128;
                    double yy = 1.164 * (luma - 16);
                    r = clamp(yy + 1.596 * v);
                    g = clamp(yy - 0.392 * u - 0.813 * v);
                    b = clamp(yy + 2.017 * u);
                }
                img.setRGB(col, row, (r << 16) | (g << 8) | b);
            }
        }
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.8f);
                writer.write(null, new IIOImage(img, null, null), param);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException | LinkageError e) {
            return new byte[0];
        }
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
