/**
 * permessage-deflate (RFC 7692): negotiation for both roles ({@link
 * io.reactivews.core.deflate.DeflateNegotiation}, {@link
 * io.reactivews.core.compression.DeflateParameters}), the options users set ({@link
 * io.reactivews.core.compression.DeflateOptions}), and what a session runs once it is agreed ({@link
 * io.reactivews.core.deflate.PerMessageDeflate}): inflation between the frame decoder and the
 * message assembler, with limits counted on inflated bytes as they appear, and compression of
 * outbound messages, once for every session of a broadcast ({@link
 * io.reactivews.core.deflate.SharedFrames}).
 *
 * <pre>
 * handshake:  offers --DeflateNegotiation.answer--> agreed parameters + response element
 * inbound:    FrameDecoder(RSV1 allowed) -> PerMessageDeflate.inflating -> MessageAssembler
 * outbound:   Message -> PerMessageDeflate.encode -> one frame, RSV1 when compressed
 * </pre>
 *
 * <p>zlib's memory is native and is handled like a network buffer: owned, pooled where the
 * agreement allows (no context takeover: streams are borrowed per message, so an idle
 * connection holds none), and released when the connection ends, on every path.
 */
package io.reactivews.core.deflate;

import io.reactivews.core.compression.DeflateOptions;
import io.reactivews.core.compression.DeflateParameters;
