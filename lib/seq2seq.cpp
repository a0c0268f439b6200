#include "lib/seq2seq.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/linear.hpp"
#include "lib/ops.hpp"
#include "lib/words.hpp"

namespace wb {
namespace {

// columns [from, to) of a matrix (B, N) -> (B, to - from)
Tensor columns(const Tensor& t, std::size_t from, std::size_t to) {
    const std::size_t B = t.size(0), N = t.size(1);
    Tensor out(Shape{B, to - from});
    for (std::size_t b = 0; b < B; ++b)
        std::copy(t.data() + b * N + from, t.data() + b * N + to, out.data() + b * (to - from));
    return out;
}

// column t of a (B, T) array of indices -> (B)
std::vector<std::size_t> column(const std::vector<std::size_t>& ix, std::size_t B, std::size_t T, std::size_t t) {
    std::vector<std::size_t> out(B);
    for (std::size_t b = 0; b < B; ++b) out[b] = ix[b * T + t];
    return out;
}

// nn.Linear(in, out)'s weight (out, in), then its bias (out): two draws, in torch's order
Tensor linear_weight(std::size_t in, std::size_t out, Generator& g) {
    const auto bound = static_cast<float>(linear_weight_bound(in));
    return g.uniform({out, in}, -bound, bound);
}
Tensor linear_bias(std::size_t in, std::size_t out, Generator& g) {
    const auto bound = static_cast<float>(linear_bias_bound(in));
    return g.uniform({out}, -bound, bound);
}

Tensor add(const Tensor& a, const Tensor& b) {
    Tensor out = a;
    out += b;
    return out;
}

}  // namespace

Seq2SeqBatch make_seq2seq_batch(const std::vector<std::string>& sources, const std::vector<std::string>& targets) {
    if (sources.size() != targets.size() || sources.empty())
        throw ShapeError(fmt::format("make_seq2seq_batch: {} sources and {} targets (need as many, at least one)",
                                     sources.size(), targets.size()));
    Seq2SeqBatch batch;
    batch.B = sources.size();
    for (std::size_t b = 0; b < batch.B; ++b) {
        if (sources[b].empty() || targets[b].size() > sources[b].size())
            throw ValueError(fmt::format("make_seq2seq_batch: pair {} ('{}' -> '{}'): the source may not be empty nor "
                                         "shorter than its target", b, sources[b], targets[b]));
        batch.T = std::max(batch.T, sources[b].size());
    }
    const std::size_t T = batch.T, J = T + 1;
    batch.src.assign(batch.B * T, 0);
    batch.tgt_in.assign(batch.B * J, 0);
    batch.tgt_out.assign(batch.B * J, -1);
    for (std::size_t b = 0; b < batch.B; ++b) {
        batch.lengths.push_back(sources[b].size());
        for (std::size_t t = 0; t < sources[b].size(); ++t) batch.src[b * T + t] = stoi(sources[b][t]);
        for (std::size_t j = 0; j < targets[b].size(); ++j) {
            batch.tgt_in[b * J + j + 1] = stoi(targets[b][j]);
            batch.tgt_out[b * J + j] = static_cast<std::int64_t>(stoi(targets[b][j]));
        }
        batch.tgt_out[b * J + targets[b].size()] = 0;  // the end '.'
    }
    return batch;
}

Seq2Seq::Seq2Seq(const Seq2SeqConfig& cfg, Generator& g)
    : enc_emb(g.randn({cfg.vocab_size, cfg.n_embd})),
      fwd(cfg.n_embd, cfg.encoder_hidden, g),
      bwd(cfg.n_embd, cfg.encoder_hidden, g),
      W_init(linear_weight(2 * cfg.encoder_hidden, cfg.decoder_hidden, g)),
      b_init(linear_bias(2 * cfg.encoder_hidden, cfg.decoder_hidden, g)),
      dec_emb(g.randn({cfg.vocab_size, cfg.n_embd})),
      dec(cfg.n_embd + 2 * cfg.encoder_hidden, cfg.decoder_hidden, g),
      attention(cfg.attention_size == 0 ? std::nullopt
                                        : std::optional<AdditiveAttention>(std::in_place, cfg.decoder_hidden,
                                                                          2 * cfg.encoder_hidden, cfg.attention_size, g)),
      W_out(linear_weight(cfg.decoder_hidden + 2 * cfg.encoder_hidden, cfg.vocab_size, g)),
      b_out(linear_bias(cfg.decoder_hidden + 2 * cfg.encoder_hidden, cfg.vocab_size, g)),
      cfg_(cfg) {
    for (auto [p, d] : {std::pair{&enc_emb, &denc_emb}, {&W_init, &dW_init}, {&b_init, &db_init},
                        {&dec_emb, &ddec_emb}, {&W_out, &dW_out}, {&b_out, &db_out}})
        *d = zeros(p->shape());
}

std::vector<Tensor*> Seq2Seq::parameters() {
    std::vector<Tensor*> ps = {&enc_emb};
    for (RNNCell* cell : {&fwd, &bwd}) for (Tensor* p : cell->parameters()) ps.push_back(p);
    ps.insert(ps.end(), {&W_init, &b_init, &dec_emb});
    for (Tensor* p : dec.parameters()) ps.push_back(p);
    if (attention) for (Tensor* p : attention->parameters()) ps.push_back(p);
    ps.insert(ps.end(), {&W_out, &b_out});
    return ps;
}

std::vector<Tensor*> Seq2Seq::gradients() {
    std::vector<Tensor*> gs = {&denc_emb};
    for (RNNCell* cell : {&fwd, &bwd}) for (Tensor* d : cell->gradients()) gs.push_back(d);
    gs.insert(gs.end(), {&dW_init, &db_init, &ddec_emb});
    for (Tensor* d : dec.gradients()) gs.push_back(d);
    if (attention) for (Tensor* d : attention->gradients()) gs.push_back(d);
    gs.insert(gs.end(), {&dW_out, &db_out});
    return gs;
}

void Seq2Seq::zero_grad() {
    for (Tensor* d : gradients()) std::fill(d->values().begin(), d->values().end(), 0.0f);
}

std::size_t Seq2Seq::num_parameters() {
    std::size_t n = 0;
    for (const Tensor* p : parameters()) n += p->numel();
    return n;
}

Seq2Seq::Encoded Seq2Seq::encode(const std::vector<std::size_t>& src, std::size_t B, std::size_t T,
                                 const std::vector<std::size_t>& lengths) const {
    const std::size_t H = cfg_.encoder_hidden, C = 2 * H;
    Encoded e;
    for (std::size_t t = 0; t < T; ++t) e.xs.push_back(embedding_forward(enc_emb, column(src, B, T, t)));
    e.f = rnn_forward(fwd, e.xs, zeros({B, H}), lengths, false);
    e.b = rnn_forward(bwd, e.xs, zeros({B, H}), lengths, true);
    e.h = Tensor(Shape{B, T, C});
    for (std::size_t t = 0; t < T; ++t) {
        const Tensor &f = rnn_state_at(e.f, t), &b = rnn_state_at(e.b, t);
        for (std::size_t r = 0; r < B; ++r)
            for (std::size_t k = 0; k < H; ++k) {
                e.h(r, t, k) = f(r, k);
                e.h(r, t, H + k) = b(r, k);
            }
    }
    e.last = cat({e.f.h.back(), e.b.h.back()}, 1);  // each row's forward state after its last character, backward after its first
    e.s0_pre = linear_forward(e.last, W_init, b_init);
    e.s0 = tanh_forward(e.s0_pre);
    if (attention) e.keys = attention->keys(e.h);
    return e;
}

Seq2Seq::Step Seq2Seq::decode_step(const Encoded& enc, const std::vector<std::size_t>& y, const Tensor& s,
                                   const std::vector<std::size_t>& lengths) const {
    Step st;
    st.y = y;
    st.s_prev = s;
    if (attention) st.att = attention->forward(s, enc.h, enc.keys, lengths);
    const Tensor& context = attention ? st.att.context : enc.last;  // (B, C)
    st.inp = cat({embedding_forward(dec_emb, y), context}, 1);      // (B, E + C)
    st.s = dec.forward(st.inp, s);                                  // (B, D)
    st.out_in = cat({st.s, context}, 1);                            // (B, D + C)
    return st;
}

float Seq2Seq::forward(const Seq2SeqBatch& batch) {
    batch_ = batch;
    const std::size_t B = batch.B, T = batch.T, J = T + 1, D = cfg_.decoder_hidden, C = 2 * cfg_.encoder_hidden;
    enc_ = encode(batch.src, B, T, batch.lengths);
    steps_.clear();
    Tensor s = enc_.s0;
    for (std::size_t j = 0; j < J; ++j) {
        steps_.push_back(decode_step(enc_, column(batch.tgt_in, B, J, j), s, batch.lengths));
        s = steps_.back().s;
    }
    // the output layer once, on the steps' rows that have a target
    rows_.clear();
    targets_.clear();
    for (std::size_t j = 0; j < J; ++j)
        for (std::size_t b = 0; b < B; ++b)
            if (batch.tgt_out[b * J + j] >= 0) {
                rows_.push_back(j * B + b);
                targets_.push_back(static_cast<std::size_t>(batch.tgt_out[b * J + j]));
            }
    out_in_ = Tensor(Shape{rows_.size(), D + C});
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        const Tensor& from = steps_[rows_[r] / B].out_in;
        std::copy_n(from.data() + (rows_[r] % B) * (D + C), D + C, out_in_.data() + r * (D + C));
    }
    const Tensor logits = linear_forward(out_in_, W_out, b_out);  // (N, V)
    return cross_entropy_forward(logits, targets_, probs_);
}

void Seq2Seq::backward() {
    const std::size_t B = batch_.B, T = batch_.T, J = T + 1, D = cfg_.decoder_hidden, H = cfg_.encoder_hidden;
    const std::size_t C = 2 * H;
    const Tensor dlogits = cross_entropy_backward(probs_, targets_);              // (N, V)
    const Tensor dout_in = linear_backward(dlogits, out_in_, W_out, dW_out, &db_out);  // (N, D + C)
    std::vector<Tensor> dstep(J, zeros({B, D + C}));
    for (std::size_t r = 0; r < rows_.size(); ++r)
        std::copy_n(dout_in.data() + r * (D + C), D + C, dstep[rows_[r] / B].data() + (rows_[r] % B) * (D + C));

    Tensor dh = zeros({B, T, C}), dkeys = attention ? zeros(enc_.keys.shape()) : Tensor();
    Tensor dlast = zeros({B, C}), ds = zeros({B, D});  // ds: the gradient of s_{j+1}, from the steps after j
    for (std::size_t j = J; j-- > 0;) {
        const Step& st = steps_[j];
        ds += columns(dstep[j], 0, D);
        Tensor dcontext = columns(dstep[j], D, D + C);
        Tensor dinp, ds_prev;
        dec.backward(ds, st.inp, st.s_prev, st.s, dinp, ds_prev);
        embedding_backward(columns(dinp, 0, cfg_.n_embd), st.y, ddec_emb);
        dcontext += columns(dinp, cfg_.n_embd, cfg_.n_embd + C);
        if (attention) {
            Tensor ds_att;
            attention->backward(dcontext, st.s_prev, enc_.h, st.att, ds_att, dh, dkeys);
            ds_prev += ds_att;
        } else {
            dlast += dcontext;
        }
        ds = ds_prev;
    }
    // s_0 = tanh(init(last))
    dlast += linear_backward(tanh_backward(ds, enc_.s0), enc_.last, W_init, dW_init, &db_init);
    if (attention) dh += attention->keys_backward(dkeys, enc_.h);

    std::vector<Tensor> dfs(T, Tensor(Shape{B, H})), dbs(T, Tensor(Shape{B, H}));
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t r = 0; r < B; ++r)
            for (std::size_t k = 0; k < H; ++k) {
                dfs[t](r, k) = dh(r, t, k);
                dbs[t](r, k) = dh(r, t, H + k);
            }
    Tensor dh0;
    const std::vector<Tensor> dxf = rnn_backward(fwd, enc_.f, enc_.xs, dfs, columns(dlast, 0, H), dh0);
    const std::vector<Tensor> dxb = rnn_backward(bwd, enc_.b, enc_.xs, dbs, columns(dlast, H, C), dh0);
    for (std::size_t t = 0; t < T; ++t)
        embedding_backward(add(dxf[t], dxb[t]), column(batch_.src, B, T, t), denc_emb);
}

Translation Seq2Seq::translate(const std::string& source, std::size_t max_length) {
    if (source.empty()) throw ValueError("translate: the source is empty");
    std::vector<std::size_t> src;
    for (const char ch : source) src.push_back(stoi(ch));
    const std::size_t T = src.size(), D = cfg_.decoder_hidden;
    const std::vector<std::size_t> lengths = {T};
    const Encoded enc = encode(src, 1, T, lengths);
    Translation out;
    out.encoder = enc.h.reshape({T, 2 * cfg_.encoder_hidden});
    std::vector<float> alignment, queries;
    Tensor s = enc.s0;
    std::size_t y = 0;
    for (std::size_t j = 0; j < max_length; ++j) {
        const Step st = decode_step(enc, {y}, s, lengths);
        queries.insert(queries.end(), st.s_prev.values().begin(), st.s_prev.values().end());
        if (attention) alignment.insert(alignment.end(), st.att.weights.values().begin(), st.att.weights.values().end());
        const Tensor logits = linear_forward(st.out_in, W_out, b_out);  // (1, V)
        y = static_cast<std::size_t>(std::max_element(logits.values().begin(), logits.values().end()) -
                                     logits.values().begin());
        s = st.s;
        if (y == 0) break;
        out.text += itos(y);
    }
    const std::size_t steps = queries.size() / D;
    out.queries = Tensor(Shape{steps, D}, std::move(queries));
    if (attention) out.alignment = Tensor(Shape{steps, T}, std::move(alignment));
    return out;
}

}  // namespace wb
