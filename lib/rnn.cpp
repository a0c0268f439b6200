#include "lib/rnn.hpp"

#include <cmath>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"

namespace wb {
namespace {

float rnn_bound(std::size_t hidden_size) {
    return static_cast<float>(1.0 / std::sqrt(static_cast<double>(hidden_size)));
}

// Rows of h past their sequence's end keep `keep`'s row instead (time step t).
void keep_finished_rows(Tensor& h, const Tensor& keep, const std::vector<std::size_t>& lengths, std::size_t t) {
    const std::size_t H = h.size(1);
    for (std::size_t b = 0; b < lengths.size(); ++b)
        if (t >= lengths[b])
            for (std::size_t k = 0; k < H; ++k) h(b, k) = keep(b, k);
}

}  // namespace

RNNCell::RNNCell(std::size_t input_size, std::size_t hidden_size, Generator& g)
    : weight_ih(g.uniform({hidden_size, input_size}, -rnn_bound(hidden_size), rnn_bound(hidden_size))),
      weight_hh(g.uniform({hidden_size, hidden_size}, -rnn_bound(hidden_size), rnn_bound(hidden_size))),
      bias_ih(g.uniform({hidden_size}, -rnn_bound(hidden_size), rnn_bound(hidden_size))),
      bias_hh(g.uniform({hidden_size}, -rnn_bound(hidden_size), rnn_bound(hidden_size))),
      dweight_ih(zeros(weight_ih.shape())),
      dweight_hh(zeros(weight_hh.shape())),
      dbias_ih(zeros(bias_ih.shape())),
      dbias_hh(zeros(bias_hh.shape())) {
    if (input_size == 0 || hidden_size == 0)
        throw ValueError(fmt::format("RNNCell: input_size ({}) and hidden_size ({}) must be at least 1", input_size,
                                     hidden_size));
}

Tensor RNNCell::forward(const Tensor& x, const Tensor& h_prev) const {
    if (x.dim() != 2 || h_prev.dim() != 2 || x.size(0) != h_prev.size(0) || h_prev.size(1) != hidden_size())
        throw ShapeError(fmt::format("RNNCell: x {} and h_prev {} must be (B, {}) and (B, {})", to_string(x.shape()),
                                     to_string(h_prev.shape()), input_size(), hidden_size()));
    Tensor pre = linear_forward(x, weight_ih, bias_ih);             // (B, H)
    const Tensor recurrent = linear_forward(h_prev, weight_hh, bias_hh);  // (B, H)
    for (std::size_t i = 0; i < pre.numel(); ++i) pre.data()[i] += recurrent.data()[i];
    return tanh_forward(pre);
}

void RNNCell::backward(const Tensor& dh, const Tensor& x, const Tensor& h_prev, const Tensor& h, Tensor& dx,
                       Tensor& dh_prev) {
    if (dh.shape() != h.shape() || h.shape() != h_prev.shape())
        throw ShapeError(fmt::format("RNNCell::backward: dh {}, h {} and h_prev {} must have one shape",
                                     to_string(dh.shape()), to_string(h.shape()), to_string(h_prev.shape())));
    const Tensor dpre = tanh_backward(dh, h);  // (B, H): dh * (1 - h^2)
    dx = linear_backward(dpre, x, weight_ih, dweight_ih, &dbias_ih);            // (B, I)
    dh_prev = linear_backward(dpre, h_prev, weight_hh, dweight_hh, &dbias_hh);  // (B, H)
}

std::vector<Tensor*> RNNCell::parameters() { return {&weight_ih, &weight_hh, &bias_ih, &bias_hh}; }
std::vector<Tensor*> RNNCell::gradients() { return {&dweight_ih, &dweight_hh, &dbias_ih, &dbias_hh}; }

RNNRun rnn_forward(const RNNCell& cell, const std::vector<Tensor>& xs, const Tensor& h0,
                   const std::vector<std::size_t>& lengths, bool reverse) {
    const std::size_t T = xs.size();
    if (h0.dim() != 2 || lengths.size() != h0.size(0))
        throw ShapeError(fmt::format("rnn_forward: h0 {} needs a row per sequence ({} lengths)",
                                     to_string(h0.shape()), lengths.size()));
    for (const std::size_t n : lengths)
        if (n > T) throw ValueError(fmt::format("rnn_forward: a sequence of length {} in a run of {} steps", n, T));
    RNNRun run{.h = {h0}, .lengths = lengths, .reverse = reverse};
    for (std::size_t k = 0; k < T; ++k) {
        const std::size_t t = reverse ? T - 1 - k : k;
        Tensor h = cell.forward(xs[t], run.h.back());  // (B, H)
        keep_finished_rows(h, run.h.back(), lengths, t);
        run.h.push_back(std::move(h));
    }
    return run;
}

const Tensor& rnn_state_at(const RNNRun& run, std::size_t t) {
    const std::size_t T = run.h.size() - 1;
    if (t >= T) throw IndexError(fmt::format("rnn_state_at: time step {} of a run of {}", t, T));
    return run.h[run.reverse ? T - t : t + 1];
}

std::vector<Tensor> rnn_backward(RNNCell& cell, const RNNRun& run, const std::vector<Tensor>& xs,
                                 const std::vector<Tensor>& dhs, const Tensor& dh_last, Tensor& dh0) {
    const std::size_t T = xs.size();
    if (run.h.size() != T + 1 || dhs.size() != T)
        throw ShapeError(fmt::format("rnn_backward: {} inputs, {} states and {} state gradients do not fit together",
                                     T, run.h.size(), dhs.size()));
    const Shape state = run.h[0].shape();
    Tensor dh_next = dh_last.numel() == 0 ? zeros(state) : dh_last;  // (B, H): flows from step k + 1 into step k
    std::vector<Tensor> dxs(T);
    for (std::size_t k = T; k-- > 0;) {
        const std::size_t t = run.reverse ? T - 1 - k : k;
        Tensor dh = dh_next;
        if (dhs[t].numel() != 0) dh += dhs[t];
        // a finished row passed its state through unchanged: its gradient goes straight on
        Tensor dcell = dh;
        const std::size_t H = state[1];
        for (std::size_t b = 0; b < run.lengths.size(); ++b)
            for (std::size_t j = 0; j < H; ++j) (t >= run.lengths[b] ? dcell(b, j) : dh(b, j)) = 0.0f;
        Tensor dh_prev;
        cell.backward(dcell, xs[t], run.h[k], run.h[k + 1], dxs[t], dh_prev);
        dh_next = dh_prev + dh;
    }
    dh0 = dh_next;
    return dxs;
}

}  // namespace wb
