package io.arbiter.bench.report;

/** Renders a {@link Chart} as inline SVG (no script, no external resource). */
final class SvgChart {
    static final int WIDTH = 560;
    static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 70;

    private SvgChart() {
    }

    static String render(Chart c) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        s.append("<text x=\"").append(WIDTH / 2).append("\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" "
                + "font-weight=\"bold\">").append(esc(c.title())).append(" (").append(esc(c.unit()))
                .append(")</text>");
        double[] axis = c.axis();
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) {
            double v = axis[1] * i;
            double y = TOP + plotH - plotH * v / axis[0];
            s.append(String.format(java.util.Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y, WIDTH - RIGHT, y));
            s.append(String.format(java.util.Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
                    Chart.axisLabel(v, axis[1])));
        }
        int groups = c.categories().size();
        int series = c.series().size();
        double groupW = plotW / (double) Math.max(1, groups);
        double[] bars = c.bars(groupW);
        double barW = bars[0];
        for (int g = 0; g < groups; g++) {
            double gx = LEFT + g * groupW + bars[1];
            for (int k = 0; k < series; k++) {
                Double v = c.values()[g][k];
                if (v == null) {
                    continue;
                }
                double h = plotH * v / axis[0];
                double x = gx + k * barW;
                double y = TOP + plotH - h;
                s.append(String.format(java.util.Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                + "<title>%s %s: %s %s</title></rect>",
                        x, y, Math.max(1, barW - 2), h, Chart.color(c.series().get(k), k),
                        esc(c.series().get(k)), esc(c.categories().get(g)), Chart.format(v), esc(c.unit())));
                if (barW >= 22) {
                    s.append(String.format(java.util.Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\">%s</text>",
                            x + (barW - 2) / 2, y - 3, Chart.format(v)));
                }
            }
            s.append(String.format(java.util.Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", LEFT + g * groupW + groupW / 2,
                    TOP + plotH + 16, esc(c.categories().get(g))));
        }
        s.append(String.format(java.util.Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", LEFT, TOP + plotH, WIDTH - RIGHT,
                TOP + plotH));
        // legend
        int lx = LEFT;
        int ly = HEIGHT - 24;
        for (int k = 0; k < series; k++) {
            String name = c.series().get(k);
            s.append(String.format(java.util.Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>", lx, ly, Chart.color(name, k), lx + 14, ly + 9,
                    esc(name)));
            lx += 24 + name.length() * 7;
        }
        s.append("</svg>");
        return s.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
