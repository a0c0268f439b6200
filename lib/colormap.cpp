#include "lib/colormap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>

#include <unistd.h>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {
namespace {

// The scale is a path through Oklab (Björn Ottosson, 2020), a colour space in which
// equal steps look like equal changes to the eye. A point there is a lightness L
// (0 black, 1 white) and, around the grey axis, a colourfulness C (chroma) and a
// hue angle h. Going straight from one colour to another in sRGB would pass
// through muddy greys and change lightness unevenly; in Oklab we can ask for
// lightness that rises in equal steps.
struct Oklch {
    double L, C, h_degrees;
};

// The path: lightness from 0.27 to 0.93 in equal steps, the hue turning from
// purple (300 degrees) past blue and teal to yellow (105 degrees), the chroma a
// little lower in the middle, where blue-green cannot be as vivid in sRGB.
Oklch scale_point(double t) {
    const double from_middle = 2.0 * t - 1.0;
    return {0.27 + 0.66 * t, 0.075 + 0.06 * from_middle * from_middle + 0.045 * t, 300.0 - 195.0 * t};
}

// sRGB stores light through a gamma curve, so that 8 bits spend more levels on
// dark tones, where the eye tells them apart best.
double gamma_encode(double linear) {
    return linear <= 0.0031308 ? 12.92 * linear : 1.055 * std::pow(linear, 1.0 / 2.4) - 0.055;
}

std::uint8_t to_byte(double channel) {
    return static_cast<std::uint8_t>(std::lround(255.0 * std::clamp(channel, 0.0, 1.0)));
}

// Oklab to linear sRGB: the matrices of Ottosson's published conversion. A colour
// slightly outside what a screen shows is clipped channel by channel.
Rgb to_srgb(const Oklch& c) {
    const double h = c.h_degrees * std::numbers::pi / 180.0;
    const double a = c.C * std::cos(h), b = c.C * std::sin(h);
    const double l_ = c.L + 0.3963377774 * a + 0.2158037573 * b;
    const double m_ = c.L - 0.1055613458 * a - 0.0638541728 * b;
    const double s_ = c.L - 0.0894841775 * a - 1.2914855480 * b;
    const double l = l_ * l_ * l_, m = m_ * m_ * m_, s = s_ * s_ * s_;
    const double red = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s;
    const double green = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s;
    const double blue = -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s;
    return {to_byte(gamma_encode(red)), to_byte(gamma_encode(green)), to_byte(gamma_encode(blue))};
}

double linear_channel(std::uint8_t byte) {
    const double c = byte / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

Rgb colormap(double t) {
    if (std::isnan(t)) throw ValueError("colormap: t is nan; it takes a number from 0 to 1");
    return to_srgb(scale_point(std::clamp(t, 0.0, 1.0)));
}

double normalize(double value, double vmin, double vmax) {
    if (!(vmax > vmin)) return 0.5;  // one value everywhere: the middle of the scale
    return (value - vmin) / (vmax - vmin);
}

double luminance(Rgb c) {  // the weights of sRGB's primaries (ITU-R BT.709)
    return 0.2126 * linear_channel(c.r) + 0.7152 * linear_channel(c.g) + 0.0722 * linear_channel(c.b);
}

bool colour_terminal() {
    static const bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
    return colour;
}

std::vector<std::string> terminal_heatmap(const Tensor& matrix, double vmin, double vmax) {
    if (matrix.dim() != 2)
        throw ShapeError(fmt::format("terminal_heatmap: a heatmap needs a 2-D matrix, not shape {}",
                                     to_string(matrix.shape())));
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < matrix.size(0); ++i) {
        std::string line;
        for (std::size_t j = 0; j < matrix.size(1); ++j) {
            const float v = matrix(i, j);
            if (!std::isfinite(v)) {
                line += "  ";
                continue;
            }
            const Rgb c = colormap(normalize(v, vmin, vmax));
            // ESC[48;2;R;G;Bm sets a 24-bit background colour, ESC[0m resets it
            line += fmt::format("\x1b[48;2;{};{};{}m  \x1b[0m", c.r, c.g, c.b);
        }
        lines.push_back(line);
    }
    return lines;
}

}  // namespace wb
