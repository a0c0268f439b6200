#include "lib/picture.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "lib/canvas.hpp"
#include "lib/errors.hpp"

namespace wb {
namespace {

constexpr double kMargin = 16, kLabelSize = 12, kValueSize = 11, kTitleSize = 15;
constexpr double kMinCell = 28, kMaxCell = 64;
constexpr double kTwoLineCell = 2 * kValueSize + 12;  // a cell label over its value, with room round both
constexpr Rgb kBlack{0, 0, 0}, kWhite{255, 255, 255};

// Heatmaps and masks differ only in what the cells say and what explains the colours.
enum class Style { heatmap, mask };

double widest(const std::vector<std::string>& texts, double size) {
    double w = 0.0;
    for (const std::string& t : texts) w = std::max(w, estimated_text_width(t, size));
    return w;
}

// titles are bold, about a tenth wider than the estimate for regular text
double title_width(const std::string& title) { return 1.1 * estimated_text_width(title, kTitleSize); }

std::string value_text(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

struct Range {
    double vmin, vmax;
};

void check_matrix(const char* function, const Tensor& m, const std::vector<std::string>& row_labels,
                  const std::vector<std::string>& col_labels) {
    if (m.dim() != 2)
        throw ShapeError(fmt::format("{}: a heatmap is drawn from a 2-D matrix, not shape {}", function,
                                     to_string(m.shape())));
    if (m.numel() == 0)
        throw ValueError(fmt::format("{}: the matrix of shape {} is empty: there is nothing to draw", function,
                                     to_string(m.shape())));
    if (row_labels.size() != m.size(0))
        throw ShapeError(fmt::format("{}: {} row labels for the {} rows of a matrix of shape {}: give one per row",
                                     function, row_labels.size(), m.size(0), to_string(m.shape())));
    if (col_labels.size() != m.size(1))
        throw ShapeError(fmt::format("{}: {} column labels for the {} columns of a matrix of shape {}: give one per "
                                     "column",
                                     function, col_labels.size(), m.size(1), to_string(m.shape())));
    for (std::size_t i = 0; i < m.size(0); ++i)
        for (std::size_t j = 0; j < m.size(1); ++j)
            if (!std::isfinite(m(i, j)))
                throw ValueError(fmt::format("{}: the value at ({}, {}) is {}: a heatmap needs finite numbers",
                                             function, i, j, m(i, j)));
}

Range colour_range(const Tensor& m, const HeatmapOptions& options) {
    const auto [lo, hi] = std::minmax_element(m.values().begin(), m.values().end());
    const Range r{options.vmin.value_or(*lo), options.vmax.value_or(*hi)};
    if (!std::isfinite(r.vmin) || !std::isfinite(r.vmax) || r.vmin > r.vmax)
        throw ValueError(fmt::format("write_heatmap: the colour scale from vmin {} to vmax {} is not a range: give "
                                     "finite numbers with vmin <= vmax",
                                     r.vmin, r.vmax));
    return r;
}

// What stands right of the grid: the colour bar's two numbers, or the mask's legend.
std::vector<std::string> key_texts(Style style, Range r, int decimals) {
    if (style == Style::mask) return {"attended (1)", "skipped (0)"};
    return {value_text(r.vmin, decimals), value_text(r.vmax, decimals)};
}

HeatmapLayout layout(const Tensor& m, const std::vector<std::string>& row_labels,
                     const std::vector<std::string>& col_labels, const std::string& title,
                     const HeatmapOptions& options, const std::vector<std::string>& key) {
    double value_w = 0.0;
    if (options.show_values)
        for (const float v : m.values())
            value_w = std::max(value_w, estimated_text_width(value_text(v, options.decimals), kValueSize) + 10);
    for (const std::string& text : options.cell_labels)
        value_w = std::max(value_w, estimated_text_width(text, kValueSize) + 10);
    const double min_cell = options.cell_labels.empty() ? kMinCell : kTwoLineCell;
    const double col_label_w = widest(col_labels, kLabelSize) + 8;
    HeatmapLayout l;
    l.cell = static_cast<int>(std::ceil(std::clamp(std::max({value_w, std::min(col_label_w, kMaxCell), min_cell}),
                                                   kMinCell, kMaxCell)));
    l.rotate_col_labels = col_label_w > l.cell;
    const double col_labels_h = l.rotate_col_labels ? col_label_w + 4 : 22;
    const double col_title_h = options.col_title.empty() ? 0 : 20;
    const double row_title_w = options.row_title.empty() ? 0 : 22;
    l.grid_x = static_cast<int>(std::ceil(kMargin + row_title_w + widest(row_labels, kLabelSize) + 12));
    l.grid_y = static_cast<int>(std::ceil(kMargin + 30 + col_title_h + col_labels_h));
    const double grid_w = static_cast<double>(m.size(1) * static_cast<std::size_t>(l.cell));
    const double grid_h = static_cast<double>(m.size(0) * static_cast<std::size_t>(l.cell));
    const double key_w = 18 + 16 + 6 + widest(key, kValueSize) + kMargin;  // gap, bar or swatch, gap, text
    l.width = static_cast<int>(std::ceil(std::max(l.grid_x + grid_w + key_w,
                                                  2 * kMargin + title_width(title))));
    l.height = static_cast<int>(std::ceil(l.grid_y + std::max(grid_h, 48.0) + kMargin));
    return l;
}

void check_options(const HeatmapOptions& options, const Tensor& m) {
    if (options.decimals < 0 || options.decimals > 6)
        throw ValueError(fmt::format("write_heatmap: decimals {} is not a number of decimals: it takes 0 to 6",
                                     options.decimals));
    for (const auto& [i, j] : options.outlined)
        if (i >= m.size(0) || j >= m.size(1))
            throw IndexError(fmt::format("write_heatmap: the outlined cell ({}, {}) is outside the matrix of shape {}",
                                         i, j, to_string(m.shape())));
    if (!options.cell_labels.empty() && options.cell_labels.size() != m.numel())
        throw ShapeError(fmt::format("write_heatmap: {} cell labels for the {} cells of a matrix of shape {}: give one "
                                     "per cell, row by row, or none",
                                     options.cell_labels.size(), m.numel(), to_string(m.shape())));
}

// The labels round the grid: row labels right-aligned on the left, column labels
// above (upwards when they are wider than a cell), and the two titles.
void draw_labels(Canvas& c, const HeatmapLayout& l, const Tensor& m, const std::vector<std::string>& row_labels,
                 const std::vector<std::string>& col_labels, const HeatmapOptions& options) {
    const double cell = l.cell, grid_h = static_cast<double>(m.size(0)) * cell;
    for (std::size_t i = 0; i < m.size(0); ++i)
        c.text(row_labels[i], l.grid_x - 8, l.grid_y + (static_cast<double>(i) + 0.5) * cell, Anchor::right, kLabelSize);
    for (std::size_t j = 0; j < m.size(1); ++j) {
        const double x = l.grid_x + (static_cast<double>(j) + 0.5) * cell;
        if (l.rotate_col_labels) c.text(col_labels[j], x, l.grid_y - 6.0, Anchor::left, kLabelSize, kBlack, false, 90.0);
        else c.text(col_labels[j], x, l.grid_y - 11.0, Anchor::centre, kLabelSize);
    }
    // the column title goes above the column labels
    const double above = l.rotate_col_labels ? l.grid_y - 16.0 - widest(col_labels, kLabelSize) : l.grid_y - 31.0;
    const double grid_w = static_cast<double>(m.size(1)) * cell;
    if (!options.col_title.empty())
        c.text(options.col_title, l.grid_x + grid_w / 2, above, Anchor::centre, kLabelSize, kBlack, true);
    if (!options.row_title.empty())
        c.text(options.row_title, l.grid_x - 22 - widest(row_labels, kLabelSize), l.grid_y + grid_h / 2,
               Anchor::centre, kLabelSize, kBlack, true, 90.0);
}

// The colour bar: the scale from vmin (bottom) to vmax (top), one pixel row at a
// time so it follows colormap exactly, with its two ends numbered.
void draw_colour_bar(Canvas& c, double x, double y, double h, Range r, int decimals) {
    const int rows = static_cast<int>(h);
    for (int k = 0; k < rows; ++k)
        c.fill_rect(x, y + h - k - 1, 16, 1, colormap((k + 0.5) / rows));
    c.stroke_rect(x, y, 16, h, kBlack, 1.0);
    c.text(value_text(r.vmax, decimals), x + 22, y + 6, Anchor::left, kValueSize);
    c.text(value_text(r.vmin, decimals), x + 22, y + h - 6, Anchor::left, kValueSize);
}

void draw_mask_legend(Canvas& c, double x, double y) {
    const std::vector<std::string> texts = {"attended (1)", "skipped (0)"};
    for (std::size_t k = 0; k < texts.size(); ++k) {
        const double top = y + 22.0 * static_cast<double>(k);
        c.fill_rect(x, top, 16, 16, colormap(k == 0 ? 1.0 : 0.0));
        c.text(texts[k], x + 22, top + 8, Anchor::left, kValueSize);
    }
}

void draw_grid(const std::string& path, const Tensor& m, const std::vector<std::string>& row_labels,
               const std::vector<std::string>& col_labels, const std::string& title, const HeatmapOptions& options,
               Style style, Range r) {
    const HeatmapLayout l = layout(m, row_labels, col_labels, title, options, key_texts(style, r, options.decimals));
    Canvas c(path, l.width, l.height);
    c.text(title, l.width / 2.0, kMargin + 8, Anchor::centre, kTitleSize, kBlack, true);
    draw_labels(c, l, m, row_labels, col_labels, options);
    const double cell = l.cell;
    c.set_crisp_text(options.crisp_cell_text);
    for (std::size_t i = 0; i < m.size(0); ++i)
        for (std::size_t j = 0; j < m.size(1); ++j) {
            const double x = l.grid_x + static_cast<double>(j) * cell, y = l.grid_y + static_cast<double>(i) * cell;
            const Rgb colour = colormap(normalize(m(i, j), r.vmin, r.vmax));
            c.fill_rect(x, y, cell, cell, colour);
            const Rgb ink = luminance(colour) < 0.4 ? kWhite : kBlack;  // readable on dark and light cells
            // with a cell label: the label in the upper part of the cell, the value in the lower
            const bool two_lines = !options.cell_labels.empty();
            if (two_lines)
                c.text(options.cell_labels[i * m.size(1) + j], x + cell / 2, y + 0.3 * cell, Anchor::centre,
                       kValueSize, ink);
            if (options.show_values)
                c.text(value_text(m(i, j), options.decimals), x + cell / 2, y + (two_lines ? 0.7 : 0.5) * cell,
                       Anchor::centre, kValueSize, ink);
        }
    c.set_crisp_text(false);
    // thin white lines between the cells, so they can be counted
    const double grid_w = static_cast<double>(m.size(1)) * cell, grid_h = static_cast<double>(m.size(0)) * cell;
    for (std::size_t j = 1; j < m.size(1); ++j)
        c.line(l.grid_x + static_cast<double>(j) * cell, l.grid_y, l.grid_x + static_cast<double>(j) * cell,
               l.grid_y + grid_h, kWhite, 1.0);
    for (std::size_t i = 1; i < m.size(0); ++i)
        c.line(l.grid_x, l.grid_y + static_cast<double>(i) * cell, l.grid_x + grid_w,
               l.grid_y + static_cast<double>(i) * cell, kWhite, 1.0);
    for (const auto& [i, j] : options.outlined) {
        const Rgb colour = colormap(normalize(m(i, j), r.vmin, r.vmax));
        c.stroke_rect(l.grid_x + static_cast<double>(j) * cell + 2.5, l.grid_y + static_cast<double>(i) * cell + 2.5,
                      cell - 5, cell - 5, luminance(colour) < 0.4 ? kWhite : kBlack, 3.0);
    }
    const double key_x = l.grid_x + grid_w + 18;
    if (style == Style::mask) draw_mask_legend(c, key_x, l.grid_y);
    else draw_colour_bar(c, key_x, l.grid_y, std::max(grid_h, 48.0), r, options.decimals);
    c.save();
}

}  // namespace

HeatmapLayout heatmap_layout(const Tensor& matrix, const std::vector<std::string>& row_labels,
                             const std::vector<std::string>& col_labels, const std::string& title,
                             const HeatmapOptions& options) {
    check_matrix("heatmap_layout", matrix, row_labels, col_labels);
    check_options(options, matrix);
    const Range r = colour_range(matrix, options);
    return layout(matrix, row_labels, col_labels, title, options, key_texts(Style::heatmap, r, options.decimals));
}

void write_heatmap(const std::string& path, const Tensor& matrix, const std::vector<std::string>& row_labels,
                   const std::vector<std::string>& col_labels, const std::string& title,
                   const HeatmapOptions& options) {
    check_matrix("write_heatmap", matrix, row_labels, col_labels);
    check_options(options, matrix);
    draw_grid(path, matrix, row_labels, col_labels, title, options, Style::heatmap, colour_range(matrix, options));
}

void write_mask(const std::string& path, const Tensor& mask, const std::vector<std::string>& row_labels,
                const std::vector<std::string>& col_labels, const std::string& title, const std::string& row_title,
                const std::string& col_title) {
    check_matrix("write_mask", mask, row_labels, col_labels);
    for (std::size_t k = 0; k < mask.numel(); ++k)
        if (mask.values()[k] != 0.0f && mask.values()[k] != 1.0f)
            throw ValueError(fmt::format("write_mask: the value at ({}, {}) is {}: a mask holds 0 (skipped) and 1 "
                                         "(attended) only",
                                         k / mask.size(1), k % mask.size(1), mask.values()[k]));
    const HeatmapOptions options{.show_values = false, .vmin = 0.0, .vmax = 1.0, .row_title = row_title,
                                 .col_title = col_title};
    draw_grid(path, mask, row_labels, col_labels, title, options, Style::mask, {0.0, 1.0});
}

void write_scatter(const std::string& path, const std::vector<double>& x, const std::vector<double>& y,
                   const std::vector<std::string>& labels, const std::string& title, const std::string& x_label,
                   const std::string& y_label) {
    if (x.size() != y.size() || x.size() != labels.size())
        throw ShapeError(fmt::format("write_scatter: {} x values, {} y values and {} labels: give one of each per point",
                                     x.size(), y.size(), labels.size()));
    if (x.empty()) throw ValueError("write_scatter: there are no points to draw");
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
            throw ValueError(fmt::format("write_scatter: point {} ('{}') is ({}, {}): both must be finite numbers", i,
                                         labels[i], x[i], y[i]));
    const auto [x_lo, x_hi] = std::minmax_element(x.begin(), x.end());
    const auto [y_lo, y_hi] = std::minmax_element(y.begin(), y.end());
    // a margin of 8% round the points, so the dots at the edges are whole
    const auto padded = [](double lo, double hi) {
        const double pad = hi > lo ? 0.08 * (hi - lo) : 1.0;
        return std::pair{lo - pad, hi + pad};
    };
    const auto [xa, xb] = padded(*x_lo, *x_hi);
    const auto [ya, yb] = padded(*y_lo, *y_hi);
    // 640 x 560, wider if the title needs it
    const int width = std::max(640, static_cast<int>(std::ceil(2 * kMargin + title_width(title))));
    constexpr int kHeight = 560;
    const Axes axes{.left = 80, .top = 48, .right = width - 24.0, .bottom = kHeight - 56,
                    .x_lo = xa, .x_hi = xb, .y_lo = ya, .y_hi = yb};
    Canvas c(path, width, kHeight);
    c.text(title, width / 2.0, kMargin + 8, Anchor::centre, kTitleSize, kBlack, true);
    draw_axes(c, axes, x_label, y_label);
    constexpr Rgb kDot{0, 114, 178};  // Okabe and Ito's blue
    for (std::size_t i = 0; i < x.size(); ++i) {
        c.fill_circle(axes.px(x[i]), axes.py(y[i]), 10.0, kDot);
        c.text(labels[i], axes.px(x[i]), axes.py(y[i]), Anchor::centre, 11, kWhite, true);
    }
    c.save();
}

}  // namespace wb
