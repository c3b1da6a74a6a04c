# Sourced by the benchmark scripts: Debian's nginx on 127.0.0.1 from a private prefix, stopped by
# local_nginx_stop (call it from the script's EXIT trap).
#
#   local_nginx_start WORK HTTP_DIRECTIVES SERVER_DIRECTIVES
#     starts nginx with its files under WORK/nginx; sets nginx_port and waits until it answers.

local_nginx_start() {
  local work=$1 http_directives=$2 server_directives=$3
  nginx_pid_file="$work/nginx/nginx.pid"
  mkdir -p "$work/nginx/temp"
  nginx_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $nginx_pid_file;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/temp/client;
  proxy_temp_path $work/nginx/temp/proxy;
  fastcgi_temp_path $work/nginx/temp/fastcgi;
  uwsgi_temp_path $work/nginx/temp/uwsgi;
  scgi_temp_path $work/nginx/temp/scgi;
  keepalive_requests 1000000;
  $http_directives
  server {
    listen 127.0.0.1:$nginx_port;
    location = /nginx-ready { return 204; }
    $server_directives
  }
}
CONF
  nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf"
  for _ in $(seq 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/nginx-ready" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nginx did not start; see $work/nginx/error.log" >&2
  return 1
}

local_nginx_stop() {
  if [[ -n ${nginx_pid_file:-} && -s $nginx_pid_file ]]; then
    kill "$(cat "$nginx_pid_file")" 2>/dev/null || true
    for _ in $(seq 50); do
      [[ -e $nginx_pid_file ]] || break
      sleep 0.1
    done
  fi
}
