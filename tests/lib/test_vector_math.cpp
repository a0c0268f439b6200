// lib's vectorised exp and tanh against the C library's double-precision results.
#include <cmath>
#include <limits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/vector_math.hpp"

namespace {

// How many float ulps `ours` is from the exact value.
double ulps(float ours, double exact) {
    const float rounded = static_cast<float>(exact);
    const double ulp = std::nextafter(std::fabs(rounded), std::numeric_limits<float>::infinity()) - std::fabs(rounded);
    return std::fabs(static_cast<double>(ours) - exact) / ulp;
}

// An odd number of inputs, so the SIMD loops' tails are exercised too.
std::vector<float> sweep(float from, float to, std::size_t n) {
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = from + (to - from) * static_cast<float>(i) / static_cast<float>(n - 1);
    return x;
}

constexpr float kInf = std::numeric_limits<float>::infinity();

}  // namespace

BOOST_AUTO_TEST_SUITE(vector_math)

BOOST_AUTO_TEST_CASE(exp_is_within_2_ulps) {
    const std::vector<float> x = sweep(-86.5f, 88.7f, 100'003);
    std::vector<float> y(x.size());
    wb::detail::exp(x.data(), y.data(), x.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) worst = std::max(worst, ulps(y[i], std::exp(static_cast<double>(x[i]))));
    BOOST_TEST(worst <= 2.0);
}

BOOST_AUTO_TEST_CASE(tanh_is_within_4_ulps_including_near_zero) {
    std::vector<float> x = sweep(-12.0f, 12.0f, 100'001);
    for (float tiny : {1e-30f, -3e-8f, 1e-4f, 0.1249f, 0.1251f}) x.push_back(tiny);
    std::vector<float> y(x.size());
    wb::detail::tanh(x.data(), y.data(), x.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
        worst = std::max(worst, ulps(y[i], std::tanh(static_cast<double>(x[i]))));
    BOOST_TEST(worst <= 4.0);
}

BOOST_AUTO_TEST_CASE(special_values) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::vector<float> x = {0.0f, -kInf, kInf, nan, 89.0f, -200.0f, 1.0f};
    std::vector<float> y(x.size());
    wb::detail::exp(x.data(), y.data(), x.size());
    BOOST_TEST(y[0] == 1.0f);
    BOOST_TEST(y[1] == 0.0f);
    BOOST_TEST(y[2] == kInf);
    BOOST_TEST(std::isnan(y[3]));
    BOOST_TEST(y[4] == kInf);
    BOOST_TEST(y[5] == 0.0f);
    wb::detail::tanh(x.data(), x.data(), x.size());  // in place
    BOOST_TEST(x[0] == 0.0f);
    BOOST_TEST(x[1] == -1.0f);
    BOOST_TEST(x[2] == 1.0f);
    BOOST_TEST(std::isnan(x[3]));
    BOOST_TEST(x[4] == 1.0f);
    BOOST_TEST(x[5] == -1.0f);
    BOOST_TEST(ulps(x[6], std::tanh(1.0)) <= 4.0);
}

BOOST_AUTO_TEST_SUITE_END()
