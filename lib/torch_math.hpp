#pragma once
// lib-internal: the float log, sine and cosine of torch's AVX2 normal sampler.
//
// torch.randn fills tensors of 16 or more float32 elements with an 8-lane AVX2
// kernel whose log and sincos are Cephes-style polynomials (avx_mathfun), not the
// C library's. They differ from std::log / std::sin in the last bit for about 40%
// of samples, so an exact torch.randn needs these. The multiply-adds are fused
// where Debian's GCC build of torch fuses them (found by matching torch bit for
// bit on 9,226 samples; see tests/lib/test_random.cpp).
namespace wb::detail {

float cephes_logf(float x);
void cephes_sincosf(float x, float& sin_x, float& cos_x);

}  // namespace wb::detail
