#pragma once
// Internal (for picture.cpp and plot.cpp; lessons never see cairo): a page to draw on with
// cairo, the 2-D drawing library behind GTK and Firefox's printing. One Canvas is
// one picture; the file name's extension picks the format:
//   .png  pixels (cairo's image surface), for any image viewer
//   .svg  shapes (cairo's SVG surface), sharp at any zoom; text is stored as
//         glyph outlines, so it looks the same on a machine without the font.
// Nothing reaches the file until save(), which writes it whole or not at all.
#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

#include "lib/colormap.hpp"

namespace wb {

// Where a text's anchor point is: its left end, centre or right end, on the
// baseline's middle height (so labels line up with the tick or cell they name).
enum class Anchor { left, centre, right };

class Canvas {
public:
    // A white page of width x height pixels (SVG: points). ValueError if the path
    // does not end in .png or .svg.
    Canvas(std::string path, int width, int height);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    void fill_rect(double x, double y, double w, double h, Rgb colour);
    void stroke_rect(double x, double y, double w, double h, Rgb colour, double line_width);
    void fill_circle(double x, double y, double radius, Rgb colour);
    void line(double x1, double y1, double x2, double y2, Rgb colour, double line_width);
    // A line through the points (x[i], y[i]), dashed (6 on, 4 off) or solid.
    void polyline(const std::vector<double>& x, const std::vector<double>& y, Rgb colour, double line_width,
                  bool dashed);
    // Text of `size` pixels anchored at (x, y); angle in degrees, counter-clockwise
    // (90 for a y-axis label).
    void text(std::string_view s, double x, double y, Anchor anchor, double size, Rgb colour = {},
              bool bold = false, double angle = 0.0);

    // Text drawn from now on without anti-aliasing, each glyph fitted to the pixel
    // grid (cairo's full hinting): sharp at small sizes, and in a PNG only the ink's
    // and the background's colours, which compress far better when there are
    // thousands of small texts. Off again with false.
    void set_crisp_text(bool crisp);

    // Finishes the picture and writes it to its path (creating the folders above
    // it): DataError naming the path if it cannot be written.
    void save();

private:
    std::string path_;
    bool png_ = true;
    std::string svg_bytes_;  // the SVG surface writes here as it goes
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
};

// A plot's axes: the data rectangle [x_lo, x_hi] x [y_lo, y_hi] drawn in the pixel
// rectangle from (left, top) to (right, bottom), y growing upwards as on paper.
struct Axes {
    double left, top, right, bottom;
    double x_lo, x_hi, y_lo, y_hi;
    double px(double x) const { return left + (right - left) * (x - x_lo) / (x_hi - x_lo); }
    double py(double y) const { return bottom - (bottom - top) * (y - y_lo) / (y_hi - y_lo); }
};

// Tick positions a reader can add up: multiples of 1, 2 or 5 times a power of ten,
// at most `at_most` of them within [lo, hi] (matplotlib's MaxNLocator does the same).
std::vector<double> nice_ticks(double lo, double hi, int at_most);
// The decimals that show ticks `step` apart exactly: 0.25 -> 2, 0.5 -> 1, 5 -> 0.
int tick_decimals(const std::vector<double>& ticks);

// A frame, faint grid lines at the ticks, the ticks' numbers and the axis labels.
void draw_axes(Canvas& canvas, const Axes& axes, const std::string& x_label, const std::string& y_label);

// How many pixels a text of `size` pixels is estimated to take, from its characters
// alone: picture sizes then depend on the labels, not on the fonts installed.
double estimated_text_width(std::string_view s, double size);


}  // namespace wb
