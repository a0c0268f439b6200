// Your answers to lesson 01's exercises, for `./workbook run 01 --mine` (lib/yours.hpp):
// the walkthrough computes these steps with your functions instead of lib's.
#include "exercises.hpp"
#include "lib/yours.hpp"

wb::YourExercises wb::your_exercises() {
    YourExercises yours;
    yours.add("1.1", "count_bigrams", lesson01::count_bigrams);
    yours.add("1.2", "normalize_rows", lesson01::normalize_rows);
    yours.add("1.3", "average_nll", lesson01::average_nll);
    return yours;
}
