package io.arbiter.bench.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws {@link Chart}s with JFreeChart: grouped bars (one group per point, one bar per configuration, each
 * configuration in its fixed colour), as inline SVG (JFreeSVG) for the HTML report and as one PNG grid.
 */
final class ChartRenderer {
    static final int WIDTH = 560;
    static final int HEIGHT = 320;

    private ChartRenderer() {}

    static JFreeChart chart(Chart c) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int g = 0; g < c.categories().size(); g++) {
            for (int k = 0; k < c.series().size(); k++) {
                data.addValue(
                        c.values()[g][k], c.series().get(k), c.categories().get(g));
            }
        }
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis(), new NumberAxis(c.unit()), new BarRenderer());
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setMaximumBarWidth(0.12);
        bars.setDefaultItemLabelGenerator(
                new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("#,##0.###")));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        for (int k = 0; k < c.series().size(); k++) {
            bars.setSeriesPaint(k, Color.decode(Chart.color(c.series().get(k), k)));
        }
        JFreeChart chart =
                new JFreeChart(c.title() + " (" + c.unit() + ")", new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** One chart as an inline SVG element. */
    static String svg(Chart c) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart(c).draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement();
    }

    /** The charts in one PNG, two per row, under a title. */
    static void png(List<Chart> charts, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int cols = 2;
        int rows = (charts.size() + cols - 1) / cols;
        int header = 40;
        BufferedImage img = new BufferedImage(WIDTH * cols, header + HEIGHT * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 16, 26);
            for (int i = 0; i < charts.size(); i++) {
                chart(charts.get(i))
                        .draw(g, new Rectangle((i % cols) * WIDTH, header + (i / cols) * HEIGHT, WIDTH, HEIGHT));
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
