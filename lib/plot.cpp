#include "lib/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

void write_loss_curve(const std::string& path, const std::vector<float>& losses, const std::string& title) {
    if (losses.empty()) throw ValueError("write_loss_curve: there are no losses to plot");
    // Mean of log10(loss) over each of (at most) 100 equal chunks of the steps.
    const std::size_t chunk = std::max<std::size_t>(1, losses.size() / 100);
    std::vector<double> points;
    for (std::size_t start = 0; start + chunk <= losses.size(); start += chunk) {
        double total = 0.0;
        for (std::size_t i = start; i < start + chunk; ++i) total += std::log10(static_cast<double>(losses[i]));
        points.push_back(total / static_cast<double>(chunk));
    }
    const auto [lo_it, hi_it] = std::minmax_element(points.begin(), points.end());
    const double lo = *lo_it, hi = *hi_it > *lo_it ? *hi_it : *lo_it + 1.0;

    constexpr double kWidth = 640, kHeight = 360, kLeft = 60, kRight = 20, kTop = 40, kBottom = 40;
    const auto x_of = [&](std::size_t i) {
        return kLeft + (kWidth - kLeft - kRight) * (points.size() == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(points.size() - 1));
    };
    const auto y_of = [&](double v) { return kTop + (kHeight - kTop - kBottom) * (hi - v) / (hi - lo); };

    std::string polyline;
    for (std::size_t i = 0; i < points.size(); ++i) polyline += fmt::format("{:.1f},{:.1f} ", x_of(i), y_of(points[i]));
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" font-family=\"sans-serif\" "
        "font-size=\"12\">\n<rect width=\"{0}\" height=\"{1}\" fill=\"white\"/>\n"
        "<text x=\"{2}\" y=\"22\" font-size=\"14\">{3}</text>\n",
        kWidth, kHeight, kLeft, title);
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>\n", kLeft, kTop,
                       kHeight - kBottom);
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"black\"/>\n", kLeft,
                       kHeight - kBottom, kWidth - kRight);
    for (const double v : {lo, (lo + hi) / 2, hi})
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.3f}</text>\n", kLeft - 6,
                           y_of(v) + 4, v);
    svg += fmt::format("<text x=\"{}\" y=\"{}\">step 0</text>\n", kLeft, kHeight - kBottom + 18);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">step {}</text>\n", kWidth - kRight,
                       kHeight - kBottom + 18, losses.size());
    svg += fmt::format("<polyline fill=\"none\" stroke=\"steelblue\" stroke-width=\"2\" points=\"{}\"/>\n</svg>\n",
                       polyline);

    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ignored;  // if this fails, opening the file below reports it
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
    std::ofstream out(path, std::ios::binary);
    if (out) out << svg;
    if (!out) throw DataError(fmt::format("{}: cannot write the loss curve ({})", path, std::strerror(errno)));
}

}  // namespace wb
