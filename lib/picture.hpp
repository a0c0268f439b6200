#pragma once
// Pictures of what a lesson computes, as PNG or SVG files (the name's extension
// decides): attention weights as heatmaps with the tokens as labels, masks as
// grids, points with their names (embeddings). Drawn with cairo; the colours are
// lib/colormap.hpp's scale. Loss curves are in lib/plot.hpp.
//
//   write_heatmap("plots/lesson03/attention_weights.png", attn_weights, tokens, tokens,
//                 "attention weights", {.row_title = "query", .col_title = "key"});
//
// matplotlib's names where they help: vmin/vmax, imshow's annotated heatmap.
// Every function refuses what it cannot draw with a message naming it, and writes
// the same bytes for the same input (on one machine: fonts may differ elsewhere).
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

struct HeatmapOptions {
    bool show_values = true;  // each value printed in its cell
    int decimals = 2;         // ... with this many decimals (0 to 6)
    // The colour scale's ends, as matplotlib's vmin and vmax; by default the
    // matrix's smallest and largest value. Attention weights read best on 0 to 1.
    std::optional<double> vmin{}, vmax{};
    std::string row_title{}, col_title{};  // what the rows and columns are: "query", "key"
    // Cells drawn with a frame, e.g. the experts a router chose: (row, column).
    std::vector<std::pair<std::size_t, std::size_t>> outlined{};
    // A text per cell, row by row, written above the cell's value: makemore's
    // bigram over its count ("an" over 5438). Empty: the cells show their values only.
    std::vector<std::string> cell_labels{};
    // The cells' texts drawn without anti-aliasing, fitted to the pixels: as easy to
    // read at this small size, and the PNG of a large grid with a text in every
    // cell (lesson 01's 27 x 27) a third the size.
    bool crisp_cell_text = false;
};

// A 2-D matrix as a grid of coloured cells, a row label per row and a column label
// per column, the values in the cells, a colour bar with its two ends numbered,
// and a title (plt.imshow + plt.colorbar + ax.text in each cell). Errors:
// ShapeError if the matrix is not 2-D or a label count differs from its rows or
// columns, or cell_labels is neither empty nor one per cell (naming both counts), ValueError if it is empty, holds a value that is
// not finite, or vmin > vmax; DataError naming the path if it cannot be written.
void write_heatmap(const std::string& path, const Tensor& matrix, const std::vector<std::string>& row_labels,
                   const std::vector<std::string>& col_labels, const std::string& title,
                   const HeatmapOptions& options = {});

// A mask of 1s (attended) and 0s (skipped) as a grid of two colours with a legend
// instead of a colour bar. The same errors as write_heatmap, and ValueError for a
// value other than 0 and 1.
void write_mask(const std::string& path, const Tensor& mask, const std::vector<std::string>& row_labels,
                const std::vector<std::string>& col_labels, const std::string& title,
                const std::string& row_title = "query", const std::string& col_title = "key");

// Points (x[i], y[i]), each drawn as a dot with labels[i] on it, on numbered axes
// (plt.scatter, then plt.text per point, as makemore draws its embeddings), in a
// picture 640 x 560 pixels (wider when the title needs it).
// ShapeError if x, y and labels differ in length; ValueError if there are no
// points or one is not finite.
void write_scatter(const std::string& path, const std::vector<double>& x, const std::vector<double>& y,
                   const std::vector<std::string>& labels, const std::string& title,
                   const std::string& x_label = "", const std::string& y_label = "");

// Where write_heatmap puts things, in pixels: the picture's size, the top-left
// corner of the grid and the side of a (square) cell. Cell (i, j) covers
// [grid_x + j * cell, grid_x + (j + 1) * cell) x [grid_y + i * cell, ...).
// Computed from the label and value lengths, not from the fonts, so the size of a
// picture is the same on every machine.
struct HeatmapLayout {
    int width = 0, height = 0;
    int grid_x = 0, grid_y = 0, cell = 0;
    bool rotate_col_labels = false;  // column labels run upwards when wider than a cell
};
HeatmapLayout heatmap_layout(const Tensor& matrix, const std::vector<std::string>& row_labels,
                             const std::vector<std::string>& col_labels, const std::string& title,
                             const HeatmapOptions& options = {});

}  // namespace wb
