#include "lib/plot.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include <unistd.h>

#include <fmt/format.h>

#include "lib/canvas.hpp"
#include "lib/errors.hpp"

namespace wb {
namespace {

constexpr double kWidth = 720, kHeight = 400, kLeft = 64, kRight = 170, kTop = 40, kBottom = 48;
// colours told apart also by readers with red-green colour blindness (Okabe & Ito)
constexpr std::array<Rgb, 6> kColours = {
    Rgb{0x00, 0x72, 0xB2}, Rgb{0xD5, 0x5E, 0x00}, Rgb{0x00, 0x9E, 0x73},
    Rgb{0xCC, 0x79, 0xA7}, Rgb{0xE6, 0x9F, 0x00}, Rgb{0x56, 0xB4, 0xE9}};

// a curve's own colour, or its position's: -1 means "the next colour"
Rgb curve_colour(const Curve& c, std::size_t position) {
    const std::size_t k = c.colour >= 0 ? static_cast<std::size_t>(c.colour) : position;
    return kColours[k % kColours.size()];
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

void write_file_atomically(const std::string& path, const std::string& bytes, const std::string& what) {
    const std::filesystem::path target(path);
    std::error_code ignored;  // if this fails, opening the file below reports it
    if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ignored);
    const std::string temporary = fmt::format("{}.{}.tmp", path, getpid());
    {
        std::ofstream out(temporary, std::ios::binary);
        if (out) out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (out) out.close();
        if (!out) {
            const std::string reason = std::strerror(errno);
            std::filesystem::remove(temporary, ignored);
            throw DataError(fmt::format("{}: cannot write {} ({})", path, what, reason));
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, target, error);
    if (error) {
        std::filesystem::remove(temporary, ignored);
        throw DataError(fmt::format("{}: cannot write {} ({})", path, what, error.message()));
    }
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
    const Axes axes{.left = kLeft, .top = kTop, .right = kWidth - kRight, .bottom = kHeight - kBottom,
                    .x_lo = x_lo, .x_hi = x_hi, .y_lo = y_lo, .y_hi = y_hi};

    Canvas canvas(path, static_cast<int>(kWidth), static_cast<int>(kHeight));
    canvas.text(title, kLeft, 20, Anchor::left, 14, {}, true);
    draw_axes(canvas, axes, x_label, y_label);
    for (std::size_t i = 0; i < curves.size(); ++i) {
        const Curve& c = curves[i];
        const Rgb colour = curve_colour(c, i);
        std::vector<double> xs, ys;
        for (std::size_t k = 0; k < c.x.size(); ++k) xs.push_back(axes.px(c.x[k])), ys.push_back(axes.py(c.y[k]));
        canvas.polyline(xs, ys, colour, 2.0, c.dashed);
        // the legend, right of the plot: a short line in the curve's style, then its name
        const double legend_y = kTop + 18.0 * static_cast<double>(i);
        canvas.polyline({axes.right + 12, axes.right + 36}, {legend_y, legend_y}, colour, 2.0, c.dashed);
        canvas.text(c.label, axes.right + 42, legend_y, Anchor::left, 12);
    }
    canvas.save();
}

void write_loss_curve(const std::string& path, const std::vector<float>& losses, const std::string& title) {
    if (losses.empty()) throw ValueError("write_loss_curve: there are no losses to plot");
    std::vector<float> logs(losses.size());
    std::transform(losses.begin(), losses.end(), logs.begin(), [](float l) { return std::log10(l); });
    std::size_t size = 0;
    Curve curve{.label = "log10 loss", .x = {}, .y = chunk_means(logs, 100, size)};
    for (std::size_t i = 0; i < curve.y.size(); ++i) curve.x.push_back(static_cast<double>(i * size));
    write_curves(path, {curve}, title, "step", "log10(loss)");
}

}  // namespace wb
