#pragma once
// Lesson 11's --timing: generating T tokens with the KV cache and without it,
// measured on this machine (so never part of the golden output).
#include "lib/gpt.hpp"

// Feeds 64, 128, 256 and 512 tokens to the model one at a time, with a CachedGPT
// and by a full forward over the prefix at every step, and prints the total time
// and the time of the last token for each.
void time_generation(wb::GPTModel& model, const wb::GPTConfig& cfg);
