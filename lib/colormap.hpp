#pragma once
// The one colour scale every picture and terminal heatmap uses: dark purple for
// small values, through blue and green, to light yellow for large ones (the look
// of matplotlib's default, viridis). Its lightness rises steadily from one end to
// the other, so the order of the values survives a grey-scale printout and the
// common kinds of colour blindness; a rainbow scale ("jet") does not.
#include <cstdint>
#include <string>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

// An sRGB colour, 0-255 per channel.
struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

// The colour of t on the scale: t = 0 dark purple, t = 1 light yellow; t outside
// [0, 1] is clamped. ValueError if t is NaN (it has no place on the scale).
Rgb colormap(double t);

// Where `value` lies between vmin and vmax, as the t that colormap takes (0.5 when
// vmin == vmax). matplotlib calls this a Normalize.
double normalize(double value, double vmin, double vmax);

// The relative luminance of a colour, 0 (black) to 1 (white): text on a cell is
// drawn white when the cell is darker than 0.4, black otherwise.
double luminance(Rgb colour);

// --- on a terminal ------------------------------------------------------------------

// True when stdout is a terminal and the NO_COLOR environment variable is unset
// (https://no-color.org): then small matrices are also shown as coloured cells.
// Piped into a file or another program, the output stays plain text.
bool colour_terminal();

// Matrices up to this many rows and columns get a terminal heatmap.
constexpr std::size_t kTerminalHeatmapMax = 16;

// One string per row of a 2-D matrix: each value as two spaces on a 24-bit ANSI
// background of colormap(normalize(value, vmin, vmax)), then the reset code. A
// value that is not finite (a mask's -inf) is left blank. ShapeError if the
// matrix is not 2-D.
std::vector<std::string> terminal_heatmap(const Tensor& matrix, double vmin, double vmax);

}  // namespace wb
