// Definitions of typed.hpp, for the generated registration unit only (it
// instantiates them once per kind: codegen/generator.hpp). Anything else
// includes typed.hpp and links against those instantiations.
#pragma once
#include "metaport/codec.hpp"
#include "metaport/typed.hpp"

namespace metaport::typed {

template <Kind T>
Value encode(const T& e) {
  return codec<T>::encode(e, EncodeContext{EncodeOptions{.keep_secrets = true}});
}

template <Kind T>
Status decode(const KindInfo& kind, const Value& doc, T& out) {
  Errors errors;
  Unknowns unknowns;  // members of open structs the struct has no place for
  DecodeContext ctx(errors, {}, &unknowns, &kind.carried);
  out = T{};
  codec<T>::decode(doc, out, ctx);
  if (!errors.empty()) return errors;
  return ok_status();
}

}  // namespace metaport::typed
