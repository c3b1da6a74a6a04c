#include "newswatch/config/environment.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace newswatch::config {

Environment Environment::from_process() {
  Environment environment;
  environment.variable = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
  environment.read_file = [](const std::filesystem::path& path) {
    SecretFile file;
    struct stat status {};
    if (stat(path.c_str(), &status) != 0) {
      file.error = std::strerror(errno);
      return file;
    }
    if (!S_ISREG(status.st_mode)) {
      file.error = "not a regular file";
      return file;
    }
    file.world_readable = (status.st_mode & S_IROTH) != 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      file.error = std::strerror(errno);
      return file;
    }
    std::ostringstream contents;
    contents << in.rdbuf();
    file.contents = contents.str();
    return file;
  };
  return environment;
}

}  // namespace newswatch::config
