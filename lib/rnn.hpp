#pragma once
// The recurrent network the encoder-decoders of lesson 13 and the capstone's RNN
// language model are built from: a tanh RNN cell (nn.RNNCell), forward and backward
// through one step side by side, and the same run over a padded batch of sequences
// (forward and backward through time). B is the batch, I the input width, H the
// hidden width, T the time steps.
//
//   h_t (B, H) = tanh(x_t @ weight_ih.T + bias_ih + h_{t-1} @ weight_hh.T + bias_hh)
//
// The same weights at every step: that is what lets an RNN read a sequence of any
// length, and also why step t cannot start before step t - 1 has finished.
#include <cstddef>
#include <vector>

#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

struct RNNCell {
    // nn.RNNCell(input_size, hidden_size): draws weight_ih, weight_hh, bias_ih,
    // bias_hh in that order, each uniform in +-1/sqrt(hidden_size), as torch does.
    RNNCell(std::size_t input_size, std::size_t hidden_size, Generator& g);

    // x (B, I), h_prev (B, H) -> h (B, H)
    Tensor forward(const Tensor& x, const Tensor& h_prev) const;
    // dh (B, H), the upstream gradient of h = forward(x, h_prev) -> adds into the
    // weight gradients; dx (B, I) and dh_prev (B, H) are set.
    void backward(const Tensor& dh, const Tensor& x, const Tensor& h_prev, const Tensor& h, Tensor& dx,
                  Tensor& dh_prev);

    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();
    std::size_t input_size() const { return weight_ih.size(1); }
    std::size_t hidden_size() const { return weight_hh.size(0); }

    Tensor weight_ih, weight_hh, bias_ih, bias_hh;      // (H, I), (H, H), (H), (H)
    Tensor dweight_ih, dweight_hh, dbias_ih, dbias_hh;  // same shapes
};

// --- through time: a padded batch --------------------------------------------------------
// Row b of the batch is a sequence of lengths[b] <= T steps. Past its end a row's
// state stays what it was (h_t = h_{t-1}), so the state at the last step T - 1 is
// each row's state after its own last input, and a run from the back (reverse)
// starts every row at 0 at its own end.
struct RNNRun {
    std::vector<Tensor> h;  // T + 1 states (B, H): h[0] the initial one, h[t + 1] after input t (in run order)
    std::vector<std::size_t> lengths;
    bool reverse = false;
};

// xs: T inputs (B, I), in time order; h0 (B, H). reverse: read t = T-1 down to 0.
RNNRun rnn_forward(const RNNCell& cell, const std::vector<Tensor>& xs, const Tensor& h0,
                   const std::vector<std::size_t>& lengths, bool reverse);
// The state after time step t (in time order, whichever way the run read): (B, H).
const Tensor& rnn_state_at(const RNNRun& run, std::size_t t);
// Backpropagation through time. dhs: T upstream gradients (B, H) of the states, in
// time order (as rnn_state_at indexes them); dh_last: of the final state h[T] (may be
// empty). Adds into the cell's gradients, returns dxs (T inputs, time order) and
// sets dh0.
std::vector<Tensor> rnn_backward(RNNCell& cell, const RNNRun& run, const std::vector<Tensor>& xs,
                                 const std::vector<Tensor>& dhs, const Tensor& dh_last, Tensor& dh0);

}  // namespace wb
