#include "lib/canvas.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numbers>

#include <unistd.h>

#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <fmt/format.h>

#include "lib/plot.hpp"
#include "lib/errors.hpp"

namespace wb {
namespace {

std::string lower_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

// cairo hands its output to a function in pieces; this one appends them to a string.
cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// cairo numbers the surfaces a process makes and names the SVG's outer group after
// its own (<g id="surface217">); nothing refers to it. Renamed "surface1", the same
// picture gives the same bytes whatever was drawn before it.
std::string without_surface_number(std::string svg) {
    const std::string key = "<g id=\"surface";
    const std::size_t at = svg.find(key);
    if (at == std::string::npos) return svg;
    const std::size_t digits = at + key.size(), end = svg.find('"', digits);
    if (end != std::string::npos) svg.replace(digits, end - digits, "1");
    return svg;
}

void set_colour(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0); }

// cairo keeps the fonts it has loaded until the process ends; the sanitizer build's
// leak checker would count them as leaks. Handing them back at exit keeps its
// reports about our own memory.
void release_font_caches() {
    cairo_debug_reset_static_data();
    FcFini();  // fontconfig, which finds the fonts for cairo
}

}  // namespace

Canvas::Canvas(std::string path, int width, int height) : path_(std::move(path)) {
    const std::string ext = lower_extension(path_);
    if (ext != ".png" && ext != ".svg")
        throw ValueError(fmt::format("{}: a picture's name must end in .png or .svg (the format to write)", path_));
    png_ = ext == ".png";
    static const bool release_at_exit = std::atexit(release_font_caches) == 0;
    (void)release_at_exit;
    // a picture of 10,000 x 10,000 is 400 MB of pixels: larger is a mistake, not a plot
    if (width < 1 || height < 1 || width > 10000 || height > 10000)
        throw ValueError(fmt::format("{}: a picture of {} x {} pixels is not drawn: each side takes 1 to 10000 pixels",
                                     path_, width, height));
    // RGB24: no transparency, so the PNG is plain RGB and every pixel is opaque
    surface_ = png_ ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)
                    : cairo_svg_surface_create_for_stream(append_to_string, &svg_bytes_, width, height);
    // width="600px", as a PNG of the same picture would be, rather than cairo's default points
    if (!png_) cairo_svg_surface_set_document_unit(surface_, CAIRO_SVG_UNIT_PX);
    cr_ = cairo_create(surface_);
    if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS)
        throw ValueError(fmt::format("{}: cairo cannot make a {} x {} picture ({})", path_, width, height,
                                     cairo_status_to_string(cairo_status(cr_))));
    fill_rect(0, 0, width, height, {255, 255, 255});
}

Canvas::~Canvas() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
}

void Canvas::fill_rect(double x, double y, double w, double h, Rgb colour) {
    set_colour(cr_, colour);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
}

void Canvas::stroke_rect(double x, double y, double w, double h, Rgb colour, double line_width) {
    set_colour(cr_, colour);
    cairo_set_line_width(cr_, line_width);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_stroke(cr_);
}

void Canvas::fill_circle(double x, double y, double radius, Rgb colour) {
    set_colour(cr_, colour);
    cairo_arc(cr_, x, y, radius, 0.0, 2.0 * std::numbers::pi);
    cairo_fill(cr_);
}

void Canvas::line(double x1, double y1, double x2, double y2, Rgb colour, double line_width) {
    set_colour(cr_, colour);
    cairo_set_line_width(cr_, line_width);
    cairo_move_to(cr_, x1, y1);
    cairo_line_to(cr_, x2, y2);
    cairo_stroke(cr_);
}

void Canvas::polyline(const std::vector<double>& x, const std::vector<double>& y, Rgb colour, double line_width,
                      bool dashed) {
    if (x.empty()) return;
    set_colour(cr_, colour);
    cairo_set_line_width(cr_, line_width);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
    const double dash[] = {6.0, 4.0};
    cairo_set_dash(cr_, dash, dashed ? 2 : 0, 0.0);
    cairo_move_to(cr_, x[0], y[0]);
    for (std::size_t i = 1; i < x.size(); ++i) cairo_line_to(cr_, x[i], y[i]);
    cairo_stroke(cr_);
    cairo_set_dash(cr_, nullptr, 0, 0.0);
}

void Canvas::text(std::string_view s, double x, double y, Anchor anchor, double size, Rgb colour, bool bold,
                  double angle) {
    const std::string str(s);  // cairo wants a NUL-terminated UTF-8 string
    // cairo's "toy" text API: fontconfig finds a sans-serif font (DejaVu Sans on Debian)
    cairo_select_font_face(cr_, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
    cairo_text_extents_t extents;
    cairo_text_extents(cr_, str.c_str(), &extents);
    cairo_font_extents_t font;
    cairo_font_extents(cr_, &font);
    const double dx = anchor == Anchor::left ? 0.0 : anchor == Anchor::centre ? -extents.x_advance / 2 : -extents.x_advance;
    const double dy = (font.ascent - font.descent) / 2;  // from the baseline to the middle of a capital
    cairo_save(cr_);
    cairo_translate(cr_, x, y);
    cairo_rotate(cr_, -angle * std::numbers::pi / 180.0);
    set_colour(cr_, colour);
    cairo_move_to(cr_, dx, dy);
    cairo_show_text(cr_, str.c_str());
    cairo_restore(cr_);
}

void Canvas::set_crisp_text(bool crisp) {
    cairo_font_options_t* options = cairo_font_options_create();
    if (crisp) {
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_NONE);
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_FULL);
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_ON);
    }  // else cairo's defaults, as before
    cairo_set_font_options(cr_, options);
    cairo_font_options_destroy(options);
}

void Canvas::save() {
    std::string bytes;
    if (png_) {
        cairo_surface_flush(surface_);
        const cairo_status_t status = cairo_surface_write_to_png_stream(surface_, append_to_string, &bytes);
        if (status != CAIRO_STATUS_SUCCESS)
            throw DataError(fmt::format("{}: cairo could not encode the PNG ({})", path_, cairo_status_to_string(status)));
    } else {
        cairo_surface_finish(surface_);  // the SVG's last bytes are written when the surface is finished
        bytes = without_surface_number(svg_bytes_);
    }
    write_file_atomically(path_, bytes);
}

std::vector<double> nice_ticks(double lo, double hi, int at_most) {
    const double span = hi - lo;
    if (!(span > 0.0) || at_most < 2) return {lo};
    // the smallest step of 1, 2 or 5 x 10^k that needs at most `at_most` ticks
    const double power = std::pow(10.0, std::floor(std::log10(span / at_most)));
    double step = 10.0 * power;
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (span / (m * power) <= at_most - 1) {
            step = m * power;
            break;
        }
    std::vector<double> ticks;
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * span; k += 1.0) ticks.push_back(k * step + 0.0);  // + 0.0: -0 becomes 0
    return ticks;
}

int tick_decimals(const std::vector<double>& ticks) {
    if (ticks.size() < 2) return 2;
    const double step = ticks[1] - ticks[0];
    return std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
}

void draw_axes(Canvas& canvas, const Axes& a, const std::string& x_label, const std::string& y_label) {
    constexpr Rgb grid{221, 221, 221}, black{0, 0, 0};
    const std::vector<double> xs = nice_ticks(a.x_lo, a.x_hi, 6), ys = nice_ticks(a.y_lo, a.y_hi, 6);
    const int x_decimals = tick_decimals(xs), y_decimals = tick_decimals(ys);
    for (const double y : ys) {
        canvas.line(a.left, a.py(y), a.right, a.py(y), grid, 1.0);
        canvas.text(fmt::format("{:.{}f}", y, y_decimals), a.left - 6, a.py(y), Anchor::right, 11);
    }
    for (const double x : xs) {
        canvas.line(a.px(x), a.top, a.px(x), a.bottom, grid, 1.0);
        canvas.text(fmt::format("{:.{}f}", x, x_decimals), a.px(x), a.bottom + 14, Anchor::centre, 11);
    }
    canvas.stroke_rect(a.left, a.top, a.right - a.left, a.bottom - a.top, black, 1.0);
    canvas.text(x_label, (a.left + a.right) / 2, a.bottom + 34, Anchor::centre, 12);
    canvas.text(y_label, a.left - 52, (a.top + a.bottom) / 2, Anchor::centre, 12, black, false, 90.0);
}

double estimated_text_width(std::string_view s, double size) {
    // widths in ems of DejaVu Sans, Debian's sans-serif, by kind of character,
    // rounded up: a label is given a little more room than it needs, never less
    double ems = 0.0;
    for (const unsigned char c : s) {
        if ((c & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte: part of the character before
        if (c == 'm' || c == 'w' || c == 'M' || c == 'W') ems += 1.0;
        else if (std::string_view("iljtfrI.,:;'!|() ").find(static_cast<char>(c)) != std::string_view::npos) ems += 0.42;
        else if (c >= 'A' && c <= 'Z') ems += 0.76;
        else ems += 0.64;
    }
    return ems * size;
}


}  // namespace wb
