// A port of the rules in torch/_tensor_str.py (torch 1.13), default print options:
// precision 4, threshold 1000, edgeitems 3, linewidth 80.
#include "lib/print.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "lib/colormap.hpp"

namespace wb {
namespace {

constexpr int kPrecision = 4;
constexpr std::size_t kThreshold = 1000;
constexpr std::size_t kEdgeItems = 3;
constexpr std::size_t kLineWidth = 80;

// Python's str() of a float formatted with a fixed or exponent spec: like fmt,
// except that Python never prints a sign on NaN.
std::string python_float(double v, char spec, int precision) {
    if (std::isnan(v)) return "nan";
    return spec == 'e' ? fmt::format("{:.{}e}", v, precision) : fmt::format("{:.{}f}", v, precision);
}

// torch's _Formatter: looks at every (summarised) value once, picks int / fixed /
// scientific mode and the common width every element is padded to.
template <typename T>
class Formatter {
public:
    explicit Formatter(const std::vector<T>& values) {
        if constexpr (std::is_integral_v<T>) {
            for (T v : values) width_ = std::max(width_, fmt::format("{}", v).size());
        } else {
            std::vector<double> finite;  // the nonzero finite values decide the mode
            for (T v : values)
                if (std::isfinite(v) && v != 0) finite.push_back(static_cast<double>(v));
            if (finite.empty()) return;
            double lo = std::abs(finite[0]), hi = lo;
            for (double v : finite) {
                lo = std::min(lo, std::abs(v));
                hi = std::max(hi, std::abs(v));
                if (v != std::ceil(v)) int_mode_ = false;
            }
            sci_mode_ = hi / lo > 1000.0 || hi > 1.0e8 || (!int_mode_ && lo < 1.0e-4);
            for (double v : finite) {
                if (sci_mode_) width_ = std::max(width_, python_float(v, 'e', kPrecision).size());
                else if (int_mode_) width_ = std::max(width_, python_float(v, 'f', 0).size() + 1);
                else width_ = std::max(width_, python_float(v, 'f', kPrecision).size());
            }
        }
    }

    std::size_t width() const { return width_; }

    std::string format(T value) const {
        std::string s;
        if constexpr (std::is_integral_v<T>) {
            s = fmt::format("{}", value);
        } else {
            const double v = value;
            if (sci_mode_) s = python_float(v, 'e', kPrecision);
            else if (int_mode_) s = python_float(v, 'f', 0) + (std::isfinite(v) ? "." : "");
            else s = python_float(v, 'f', kPrecision);
        }
        return std::string(width_ > s.size() ? width_ - s.size() : 0, ' ') + s;
    }

private:
    bool int_mode_ = true;
    bool sci_mode_ = false;
    std::size_t width_ = 1;
};

// Walks a row-major block: `shape` from dimension `d` on, starting at flat `offset`.
template <typename T>
struct Printer {
    const Shape& shape;
    const std::vector<T>& values;
    bool summarize;

    std::size_t stride(std::size_t d) const {
        std::size_t s = 1;
        for (std::size_t k = d + 1; k < shape.size(); ++k) s *= shape[k];
        return s;
    }

    // The indices of dimension d that are shown: all, or the first and last three.
    std::vector<std::size_t> shown(std::size_t d) const {
        std::vector<std::size_t> idx;
        const std::size_t n = shape[d];
        for (std::size_t i = 0; i < n; ++i)
            if (!summarize || n <= 2 * kEdgeItems || i < kEdgeItems || i >= n - kEdgeItems) idx.push_back(i);
        return idx;
    }
    bool elided(std::size_t d) const { return summarize && shape[d] > 2 * kEdgeItems; }

    // get_summarized_data: the values the formatter gets to see.
    void collect(std::size_t d, std::size_t offset, std::vector<T>& out) const {
        if (d == shape.size()) {
            out.push_back(values[offset]);
            return;
        }
        for (std::size_t i : shown(d)) collect(d + 1, offset + i * stride(d), out);
    }

    std::string vector_str(std::size_t offset, std::size_t indent, const Formatter<T>& f) const {
        const std::size_t element_length = f.width() + 2;
        const std::size_t per_line =
            std::max<std::size_t>(1, indent >= kLineWidth ? 0 : (kLineWidth - indent) / element_length);
        std::vector<std::string> data;
        const auto idx = shown(shape.size() - 1);
        for (std::size_t k = 0; k < idx.size(); ++k) {
            if (elided(shape.size() - 1) && k == kEdgeItems) data.push_back(" ...");
            data.push_back(f.format(values[offset + idx[k]]));
        }
        std::string out = "[";
        for (std::size_t k = 0; k < data.size(); ++k) {
            if (k > 0) out += k % per_line == 0 ? ",\n" + std::string(indent + 1, ' ') : ", ";
            out += data[k];
        }
        return out + "]";
    }

    std::string tensor_str(std::size_t d, std::size_t offset, std::size_t indent, const Formatter<T>& f) const {
        if (d == shape.size()) return f.format(values[offset]);  // 0-d scalar
        if (d + 1 == shape.size()) return vector_str(offset, indent, f);
        const std::string sep = "," + std::string(shape.size() - d - 1, '\n') + std::string(indent + 1, ' ');
        std::string out = "[";
        const auto idx = shown(d);
        for (std::size_t k = 0; k < idx.size(); ++k) {
            if (k > 0) out += sep;
            if (elided(d) && k == kEdgeItems) out += "..." + sep;
            out += tensor_str(d + 1, offset + idx[k] * stride(d), indent + 1, f);
        }
        return out + "]";
    }
};

// torch's _add_suffixes: ", dtype=torch.int32" and the like go on the last line
// if they fit in 80 columns, else on a line of their own.
std::string add_suffixes(std::string text, const std::vector<std::string>& suffixes, std::size_t indent) {
    const std::size_t newline = text.rfind('\n');
    std::size_t last_line = newline == std::string::npos ? text.size() + 2 : text.size() - newline + 1;
    for (const std::string& suffix : suffixes) {
        if (last_line + suffix.size() + 2 > kLineWidth) {
            text += ",\n" + std::string(indent, ' ') + suffix;
            last_line = indent + suffix.size();
        } else {
            text += ", " + suffix;
            last_line += suffix.size() + 2;
        }
    }
    return text + ")";
}

// `dtype` is the suffix torch adds for a non-default dtype ("" for float32 and int64).
template <typename T>
std::string format_any(const Shape& shape, const std::vector<T>& values, const std::string& dtype) {
    const std::string prefix = "tensor(";
    std::vector<std::string> suffixes;
    std::string body;
    if (values.empty()) {
        // torch names the shape of an empty tensor unless it is (0,), and its dtype
        // unless it is float32: an empty tensor shows no element to tell by.
        body = "[]";
        if (shape.size() != 1) suffixes.push_back(fmt::format("size=({})", fmt::join(shape, ", ")));
        if (std::is_integral_v<T>) suffixes.push_back(dtype.empty() ? "dtype=torch.int64" : dtype);
    } else {
        const Printer<T> p{shape, values, values.size() > kThreshold};
        std::vector<T> seen;
        if (p.summarize) p.collect(0, 0, seen);
        const Formatter<T> f(p.summarize ? seen : values);
        body = p.tensor_str(0, 0, prefix.size(), f);
        if (!dtype.empty()) suffixes.push_back(dtype);
    }
    return add_suffixes(prefix + body, suffixes, prefix.size());
}

}  // namespace

std::string format(const Tensor& t) { return format_any(t.shape(), t.values(), ""); }

std::string format_int64(const Shape& shape, const std::vector<std::int64_t>& values) {
    return format_any(shape, values, "");
}

std::string format_int32(const Shape& shape, const std::vector<std::int32_t>& values) {
    return format_any(shape, values, "dtype=torch.int32");
}

std::string format_size(const Shape& shape) { return fmt::format("torch.Size([{}])", fmt::join(shape, ", ")); }

std::string format_for_terminal(const Tensor& t, bool colour) {
    std::string text = format(t);
    if (!colour || t.dim() != 2 || t.numel() == 0 || t.size(0) > kTerminalHeatmapMax || t.size(1) > kTerminalHeatmapMax)
        return text;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;  // a mask's -inf has no colour: the finite values set the scale
    for (const float v : t.values())
        if (std::isfinite(v)) lo = std::min(lo, static_cast<double>(v)), hi = std::max(hi, static_cast<double>(v));
    if (!(lo <= hi)) return text;
    for (const std::string& line : terminal_heatmap(t, lo, hi)) text += "\n        " + line;  // under the numbers
    return text;
}

void print(const Tensor& t) { fmt::print("{}\n", format_for_terminal(t, colour_terminal())); }
void print(std::string_view label, const Tensor& t) {
    fmt::print("{} {}\n", label, format_for_terminal(t, colour_terminal()));
}
void print(const Shape& shape) { fmt::print("{}\n", format_size(shape)); }
void print(std::string_view label, const Shape& shape) { fmt::print("{} {}\n", label, format_size(shape)); }

std::string format_count(std::uint64_t n) {
    // groups of three digits from the right: 2360064 -> 2,360,064
    if (n < 1000) return fmt::format("{}", n);
    return fmt::format("{},{:03}", format_count(n / 1000), n % 1000);
}

}  // namespace wb
