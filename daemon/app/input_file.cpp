#include "newswatch/app/input_file.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace newswatch::app {

Expected<std::string, std::string> read_input_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream contents;
    contents << std::cin.rdbuf();
    return contents.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return make_unexpected("cannot open " + path);
  }
  std::string contents((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) {
    return make_unexpected("cannot read " + path);
  }
  return contents;
}

}  // namespace newswatch::app
