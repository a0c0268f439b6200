#include "tests/support/gradient_check.hpp"

#include <cmath>

#include <boost/test/unit_test.hpp>

namespace wb::testing {

double weighted_sum(const Tensor& out, const Tensor& weights) {
    double s = 0.0;
    for (std::size_t k = 0; k < out.numel(); ++k) s += static_cast<double>(out.data()[k]) * weights.data()[k];
    return s;
}

void check_gradient(const std::string& what, Tensor& x, const Tensor& analytic, const std::function<double()>& loss) {
    BOOST_TEST_REQUIRE(analytic.numel() == x.numel(), what << ": gradient and parameter differ in size");
    const float eps = 1e-3f;
    int bad = 0;
    for (std::size_t k = 0; k < x.numel(); ++k) {
        const float saved = x.data()[k];
        x.data()[k] = saved + eps;
        const double up = loss();
        x.data()[k] = saved - eps;
        const double down = loss();
        x.data()[k] = saved;
        const double numeric = (up - down) / (2.0 * eps);
        const double a = analytic.data()[k];
        if (std::abs(a - numeric) > 2e-3 + 1e-2 * std::abs(numeric)) {
            if (bad++ < 3) BOOST_ERROR(what << "[" << k << "]: backward gives " << a << ", finite differences " << numeric);
        }
    }
    BOOST_TEST(bad == 0, what << ": " << bad << " of " << x.numel() << " elements differ");
}

}  // namespace wb::testing
