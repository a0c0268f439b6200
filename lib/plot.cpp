#include "lib/plot.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {
namespace {

constexpr double kWidth = 720, kHeight = 400, kLeft = 64, kRight = 170, kTop = 40, kBottom = 48;
// colours told apart also by readers with red-green colour blindness (Okabe & Ito)
constexpr std::array<const char*, 6> kColours = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"};

void write_file(const std::string& path, const std::string& text) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ignored;  // if this fails, opening the file below reports it
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
    std::ofstream out(path, std::ios::binary);
    if (out) out << text;
    if (!out) throw DataError(fmt::format("{}: cannot write the plot ({})", path, std::strerror(errno)));
}

// < and & would end the SVG's text early
std::string escaped(const std::string& text) {
    std::string out;
    for (const char c : text) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    return out;
}

}  // namespace

void ensure_directory(const std::string& path) {
    if (path.empty()) throw DataError("the plot folder is empty: give a folder to write the pictures to");
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (!std::filesystem::is_directory(path))
        throw DataError(fmt::format("{}: cannot make this a folder for the plots ({})", path,
                                    error ? error.message() : "a file of that name is in the way"));
    const std::filesystem::path probe = std::filesystem::path(path) / ".write_test";
    std::ofstream out(probe);
    const bool writable = static_cast<bool>(out);
    out.close();
    std::filesystem::remove(probe, error);
    if (!writable) throw DataError(fmt::format("{}: cannot write the plots here ({})", path, std::strerror(errno)));
}

std::vector<double> chunk_means(const std::vector<float>& values, std::size_t chunks, std::size_t& size) {
    const std::size_t n = std::max<std::size_t>(1, chunks);
    size = std::max<std::size_t>(1, (values.size() + n - 1) / n);  // rounded up: at most `chunks` means
    std::vector<double> means;
    for (std::size_t start = 0; start + size <= values.size(); start += size) {
        double total = 0.0;
        for (std::size_t i = start; i < start + size; ++i) total += values[i];
        means.push_back(total / static_cast<double>(size));
    }
    return means;
}

void write_curves(const std::string& path, const std::vector<Curve>& curves, const std::string& title,
                  const std::string& x_label, const std::string& y_label) {
    double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
    for (const Curve& c : curves) {
        if (c.x.size() != c.y.size())
            throw ValueError(fmt::format("write_curves: curve '{}' has {} x values but {} y values", c.label,
                                         c.x.size(), c.y.size()));
        for (std::size_t i = 0; i < c.x.size(); ++i) {
            if (!std::isfinite(c.x[i]) || !std::isfinite(c.y[i]))
                throw ValueError(fmt::format("write_curves: curve '{}' has a point that is not finite ({}, {})",
                                             c.label, c.x[i], c.y[i]));
            x_lo = std::min(x_lo, c.x[i]), x_hi = std::max(x_hi, c.x[i]);
            y_lo = std::min(y_lo, c.y[i]), y_hi = std::max(y_hi, c.y[i]);
        }
    }
    if (!(x_lo <= x_hi)) throw ValueError(fmt::format("write_curves: there is nothing to plot in {}", path));
    if (x_lo > 0.0 && x_lo < 0.5 * x_hi) x_lo = 0.0;  // steps and counts read best from 0
    if (x_hi == x_lo) x_hi = x_lo + 1.0;
    if (y_hi == y_lo) y_hi = y_lo + 1.0;
    const double plot_right = kWidth - kRight, plot_bottom = kHeight - kBottom;
    const auto x_of = [&](double x) { return kLeft + (plot_right - kLeft) * (x - x_lo) / (x_hi - x_lo); };
    const auto y_of = [&](double y) { return kTop + (plot_bottom - kTop) * (y_hi - y) / (y_hi - y_lo); };

    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" font-family=\"sans-serif\" "
        "font-size=\"12\">\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
        "<text x=\"{2}\" y=\"22\" font-size=\"14\">{3}</text>\n",
        kWidth, kHeight, kLeft, escaped(title));
    svg += fmt::format("<path d=\"M{0} {1} V{2} H{3}\" fill=\"none\" stroke=\"black\"/>\n", kLeft, kTop, plot_bottom,
                       plot_right);
    for (int k = 0; k <= 4; ++k) {  // five ticks on each axis, with faint grid lines
        const double y = y_lo + (y_hi - y_lo) * k / 4.0, x = x_lo + (x_hi - x_lo) * k / 4.0;
        svg += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>\n", kLeft,
                           y_of(y), plot_right);
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.3f}</text>\n", kLeft - 6,
                           y_of(y) + 4, y);
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:.3g}</text>\n", x_of(x),
                           plot_bottom + 16, x);
    }
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", (kLeft + plot_right) / 2,
                       kHeight - 10, escaped(x_label));
    svg += fmt::format("<text transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
                       (kTop + plot_bottom) / 2, escaped(y_label));
    for (std::size_t i = 0; i < curves.size(); ++i) {
        const Curve& c = curves[i];
        const char* colour = kColours[static_cast<std::size_t>(c.colour >= 0 ? c.colour : static_cast<int>(i)) % kColours.size()];
        std::string points;
        for (std::size_t k = 0; k < c.x.size(); ++k) points += fmt::format("{:.1f},{:.1f} ", x_of(c.x[k]), y_of(c.y[k]));
        const std::string dash = c.dashed ? " stroke-dasharray=\"6 4\"" : "";
        svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{} points=\"{}\"/>\n", colour, dash,
                           points);
        const double legend_y = kTop + 18.0 * static_cast<double>(i);
        svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"{4}/>\n",
                           plot_right + 12, legend_y, plot_right + 36, colour, dash);
        svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", plot_right + 42, legend_y + 4, escaped(c.label));
    }
    write_file(path, svg + "</svg>\n");
}

void write_loss_curve(const std::string& path, const std::vector<float>& losses, const std::string& title) {
    if (losses.empty()) throw ValueError("write_loss_curve: there are no losses to plot");
    std::vector<float> logs(losses.size());
    std::transform(losses.begin(), losses.end(), logs.begin(), [](float l) { return std::log10(l); });
    std::size_t size = 0;
    Curve curve{.label = "log10 loss", .x = {}, .y = chunk_means(logs, 100, size)};
    for (std::size_t i = 0; i < curve.y.size(); ++i) curve.x.push_back(static_cast<double>(i * size));
    write_curves(path, {curve}, title, "step", "log10(loss), mean of each 1% of the steps");
}

}  // namespace wb
