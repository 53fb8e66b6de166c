package io.arbiter.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Renders {@link Chart}s into one PNG with Java2D (headless; needs the JDK's font support). */
final class PngChart {
    private static final int W = 560;
    private static final int H = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 70;

    private PngChart() {
    }

    /** Two charts per row. */
    static void write(List<Chart> charts, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int cols = 2;
        int rows = (charts.size() + cols - 1) / cols;
        int header = 40;
        BufferedImage img = new BufferedImage(W * cols, header + H * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 16, 26);
            for (int i = 0; i < charts.size(); i++) {
                Graphics2D sub = (Graphics2D) g.create((i % cols) * W, header + (i / cols) * H, W, H);
                try {
                    draw(sub, charts.get(i));
                } finally {
                    sub.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static void draw(Graphics2D g, Chart c) {
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        center(g, c.title() + " (" + c.unit() + ")", W / 2, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double[] axis = c.axis();
        for (int i = 0; i <= 5; i++) {
            double v = axis[1] * i;
            int y = (int) Math.round(TOP + plotH - plotH * v / axis[0]);
            g.setColor(new Color(0xdd, 0xdd, 0xdd));
            g.drawLine(LEFT, y, W - RIGHT, y);
            g.setColor(Color.BLACK);
            String label = Chart.axisLabel(v, axis[1]);
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        int groups = c.categories().size();
        int series = c.series().size();
        double groupW = plotW / (double) Math.max(1, groups);
        double[] bars = c.bars(groupW);
        double barW = bars[0];
        for (int gi = 0; gi < groups; gi++) {
            double gx = LEFT + gi * groupW + bars[1];
            for (int k = 0; k < series; k++) {
                Double v = c.values()[gi][k];
                if (v == null) {
                    continue;
                }
                int h = (int) Math.round(plotH * v / axis[0]);
                int x = (int) Math.round(gx + k * barW);
                g.setColor(Color.decode(Chart.color(c.series().get(k), k)));
                g.fillRect(x, TOP + plotH - h, (int) Math.max(1, barW - 2), h);
                if (barW >= 22) {
                    g.setColor(Color.BLACK);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
                    center(g, Chart.format(v), (int) Math.round(x + (barW - 2) / 2), TOP + plotH - h - 3);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                }
            }
            g.setColor(Color.BLACK);
            center(g, c.categories().get(gi), (int) Math.round(LEFT + gi * groupW + groupW / 2), TOP + plotH + 16);
        }
        g.setStroke(new BasicStroke(1f));
        g.drawLine(LEFT, TOP + plotH, W - RIGHT, TOP + plotH);
        int lx = LEFT;
        int ly = H - 24;
        for (int k = 0; k < series; k++) {
            String name = c.series().get(k);
            g.setColor(Color.decode(Chart.color(name, k)));
            g.fillRect(lx, ly, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(name, lx + 14, ly + 9);
            lx += 24 + g.getFontMetrics().stringWidth(name);
        }
    }

    private static void center(Graphics2D g, String text, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, x - fm.stringWidth(text) / 2, y);
    }
}
