#include "newswatch/app/cli.hpp"

int main(int argc, char** argv) {
  return newswatch::app::run_cli(argc, argv);
}
