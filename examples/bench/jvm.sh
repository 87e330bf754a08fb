# Sourced by compare.sh and echo-cost.sh (from the repository's root): the JVM settings of the
# servers under test and of the load generator, unless SERVER_JVM or LOAD_JVM say otherwise.
#
# The same JVM settings for every server: a heap resident from the start (so that resident
# growth is native memory), Netty's leak detector off, and one I/O event loop. Reactor Netty
# (ours is built on it) would start at least four loops even on one core; raw Netty and Vert.x
# set one loop in code. One core serves one loop best, and each server gets the same. The Vector
# API module too, as an application that wants long texts checked a vector at a time starts its
# JVM (README, "Long texts a vector at a time"); no peer uses it, and a SERVER_JVM without it
# measures ours without. Netty's adaptive allocator keeps 2 free chunks per core for reuse and
# frees the rest: with 1 MiB messages in flight on this 2-core machine it kept freeing chunks
# and mapping fresh, zeroed ones, ours and Reactor Netty's alike (RESULTS.md, "Chunk churn at
# 1 MiB"); 64 is what its default gives a 32-core server.
server_jvm=${SERVER_JVM:-"-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled -Dreactor.netty.ioWorkerCount=1 -Dio.netty.allocator.chunkReuseQueueCapacity=64 --add-modules jdk.incubator.vector"}
load_jvm=${LOAD_JVM:-"-Xms1g -Xmx1g"}
