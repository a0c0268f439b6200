#pragma once
// Pictures a student would rather look at than read, as SVG files any browser opens.
#include <string>
#include <vector>

namespace wb {

// Creates the folder pictures go to (and its parents) before the work that fills it,
// so a bad --plot-dir is reported at once, not after minutes of training. DataError
// naming the folder if it is empty, not a folder, or cannot be written to.
void ensure_directory(const std::string& path);

// Writes bytes to a file through a temporary file in the same folder, renamed into
// place: a viewer (or a second process writing the same picture) never sees half
// a file. DataError naming the path and `what` ("the picture") on failure.
void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what = "the picture");

// One line of a plot: points (x[i], y[i]), named in the legend.
struct Curve {
    std::string label;
    std::vector<double> x, y;
    bool dashed = false;  // e.g. the dev loss beside the solid training loss
    int colour = -1;      // an index into the palette; -1: the curve's own position
};

// Several curves on shared axes, each in its own colour, with a legend. Throws
// ValueError if a curve's x and y differ in length or every curve is empty, and
// DataError naming the file if it cannot be written.
void write_curves(const std::string& path, const std::vector<Curve>& curves, const std::string& title,
                  const std::string& x_label, const std::string& y_label);

// The means of at most `chunks` equal runs of values: a minibatch's loss is too noisy
// to read, the mean of a hundred of them is not. size = ceil(values / chunks); the
// i-th mean covers values [i * size, (i + 1) * size); a remainder shorter than a run
// is left out.
std::vector<double> chunk_means(const std::vector<float>& values, std::size_t chunks, std::size_t& size);

// The training loss as makemore part 3 plots it: log10 of the loss, averaged over
// each hundredth of the steps.
void write_loss_curve(const std::string& path, const std::vector<float>& losses, const std::string& title);

}  // namespace wb
