// A dynamically linked C++ program: libstdc++, iostream, exceptions, RTTI.
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
};
struct Square : Shape {
  double s;
  explicit Square(double s) : s(s) {}
  double area() const override { return s * s; }
};

int main() {
  std::vector<std::string> words{"dynamic", "c++", "on", "riscv64"};
  std::map<std::string, int> len;
  for (const auto &w : words) len[w] = static_cast<int>(w.size());
  for (const auto &[w, n] : len) std::cout << w << '=' << n << '\n';
  Shape *sh = new Square(3);
  std::cout << "area " << sh->area() << " square? "
            << (dynamic_cast<Square *>(sh) != nullptr) << '\n';
  delete sh;
  try {
    throw std::runtime_error("thrown across libstdc++");
  } catch (const std::exception &e) {
    std::cout << "caught: " << e.what() << std::endl;
  }
  return 5;
}
