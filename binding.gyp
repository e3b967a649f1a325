{
  "targets": [
    {
      "target_name": "netbond",
      "sources": [
        "native/addon.cc",
        "native/addr_route.cc",
        "native/bindings.cc",
        "native/file_lock.cc",
        "native/link_message.cc",
        "native/link_speed.cc",
        "native/link_monitor.cc",
        "native/monitor_binding.cc",
        "native/netlink_attrs.cc",
        "native/netlink_message.cc",
        "native/netlink_reply.cc",
        "native/netlink_socket.cc",
        "native/netns.cc",
        "native/probe.cc",
        "native/reply_js.cc",
        "native/rtnl_batch.cc",
        "native/socket_pool.cc",
        "native/sockets_binding.cc",
        "native/sysfs.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-missing-field-initializers"]
    }
  ]
}
