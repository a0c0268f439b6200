#pragma once
// The RNN encoder-decoder of Cho et al. (2014) and Sutskever et al. (2014), and
// Bahdanau, Cho & Bengio (2014)'s version of it with attention, for character
// strings (lesson 13). E = n_embd, H = encoder_hidden (per direction), C = 2H,
// D = decoder_hidden, A = attention_size, V = vocab_size; T input characters.
//
//   encoder:  x_t = enc_emb[src_t]                                   (B, E)
//             f_t = fwd(x_t, f_{t-1}),  b_t = bwd(x_t, b_{t+1})      (B, H) each, a bidirectional RNN
//             h_t = [f_t; b_t]                                        (B, C): position t, read both ways
//             last = [f_{T-1}; b_0]                                   (B, C): what each direction read last
//   decoder:  s_0 = tanh(init(last))                                  (B, D)
//             c_j = last                     (attention_size 0: the bottleneck, the same vector every step)
//                 = sum_i alpha_ji h_i       (attention: alpha_j = softmax_i(v . tanh(W1 s_j + W2 h_i)))
//             s_{j+1} = dec([dec_emb[y_j]; c_j], s_j)                 (B, D); y_0 = '.', then the target
//             logits_j = out([s_{j+1}; c_j])                          (B, V)
//   loss      = cross_entropy over the target's characters and its end '.'
//
// Weights are drawn in that order (enc_emb, fwd, bwd, init, dec_emb, dec, attention,
// out), as torch would initialise the modules (embeddings torch.randn, the rest
// uniform as nn.RNNCell and nn.Linear).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/additive_attention.hpp"
#include "lib/random.hpp"
#include "lib/rnn.hpp"
#include "lib/tensor.hpp"

namespace wb {

struct Seq2SeqConfig {
    std::size_t vocab_size = 27;
    std::size_t n_embd = 16;
    std::size_t encoder_hidden = 64;
    std::size_t decoder_hidden = 64;
    std::size_t attention_size = 32;  // 0: no attention
};

// Pairs of strings, padded: sources (B, T) with lengths; the decoder's inputs
// ('.' then the target) and targets (the target then '.', -1 after), (B, T + 1) each.
struct Seq2SeqBatch {
    std::size_t B = 0, T = 0;
    std::vector<std::size_t> src, lengths, tgt_in;
    std::vector<std::int64_t> tgt_out;
};
// Targets at most as long as their sources (a source may not be empty).
Seq2SeqBatch make_seq2seq_batch(const std::vector<std::string>& sources, const std::vector<std::string>& targets);

// What greedy decoding produced for one source.
struct Translation {
    std::string text;     // the characters before the end '.'
    Tensor alignment;     // (J, T): row j, the attention weights of output step j (empty without attention)
    Tensor encoder;       // (T, C): h_i
    Tensor queries;       // (J, D): s_j, the decoder state each step's attention scored with
};

class Seq2Seq {
public:
    Seq2Seq(const Seq2SeqConfig& cfg, Generator& g);

    // Teacher forcing: the mean cross-entropy of the targets, each step fed the right
    // previous character. Keeps what backward() needs.
    float forward(const Seq2SeqBatch& batch);
    // Gradients of the last forward's loss, added into gradients()
    void backward();
    // Greedy decoding: feed back the most likely character until '.' or max_length.
    Translation translate(const std::string& source, std::size_t max_length);

    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();
    void zero_grad();
    std::size_t num_parameters();
    const Seq2SeqConfig& config() const { return cfg_; }
    bool attends() const { return attention.has_value(); }

    Tensor enc_emb;
    RNNCell fwd, bwd;
    Tensor W_init, b_init;
    Tensor dec_emb;
    RNNCell dec;
    std::optional<AdditiveAttention> attention;
    Tensor W_out, b_out;

private:
    struct Encoded {
        std::vector<Tensor> xs;  // T inputs (B, E)
        RNNRun f, b;
        Tensor h, last, s0_pre, s0;  // (B, T, C), (B, C), (B, D), (B, D)
        Tensor keys;                 // (B, T, A), with attention
    };
    Encoded encode(const std::vector<std::size_t>& src, std::size_t B, std::size_t T,
                   const std::vector<std::size_t>& lengths) const;
    // one decoder step from state s and previous characters y (B): fills the step's record
    struct Step {
        std::vector<std::size_t> y;
        Tensor inp, s_prev, s, out_in;  // (B, E + C), (B, D), (B, D), (B, D + C)
        AdditiveStep att;
    };
    Step decode_step(const Encoded& enc, const std::vector<std::size_t>& y, const Tensor& s,
                     const std::vector<std::size_t>& lengths) const;

    Seq2SeqConfig cfg_;
    Tensor denc_emb, dW_init, db_init, ddec_emb, dW_out, db_out;
    Seq2SeqBatch batch_;
    Encoded enc_;
    std::vector<Step> steps_;
    std::vector<std::size_t> rows_, targets_;  // (step * B + b) of the targets that count
    Tensor out_in_, probs_;
};

}  // namespace wb
