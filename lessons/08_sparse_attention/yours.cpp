// Your answers to lesson 08's exercises, for `./workbook run 08 --mine` (lib/yours.hpp):
// the walkthrough computes these steps with your functions instead of lib's.
#include "exercises.hpp"
#include "lib/yours.hpp"

wb::YourExercises wb::your_exercises() {
    YourExercises yours;
    yours.add("8.1", "strided_mask", lesson08::strided_mask);
    yours.add("8.2", "fixed_mask", lesson08::fixed_mask);
    yours.add("8.3", "sliding_window_pairs", lesson08::sliding_window_pairs);
    return yours;
}
