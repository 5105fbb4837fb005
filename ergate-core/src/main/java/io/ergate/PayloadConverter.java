package io.ergate;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts job payloads (inputs, contexts) to the types steps ask for. Immutable values of the
 * requested type are passed as they are; anything else goes through Jackson, which makes a deep copy.
 */
final class PayloadConverter {

	private static final Map<Class<?>, Class<?>> WRAPPERS = Map.of(int.class, Integer.class, long.class, Long.class,
			double.class, Double.class, float.class, Float.class, boolean.class, Boolean.class, char.class,
			Character.class, byte.class, Byte.class, short.class, Short.class);

	private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class, Double.class,
			Float.class, Short.class, Byte.class, Boolean.class, Character.class, BigInteger.class, BigDecimal.class,
			Instant.class, UUID.class);

	private final JsonMapper mapper;

	PayloadConverter(JsonMapper mapper) {
		this.mapper = mapper;
	}

	JavaType type(Type type) {
		return this.mapper.getTypeFactory().constructType(type);
	}

	@Nullable Object convert(@Nullable Object value, JavaType type, String what) {
		Class<?> raw = type.getRawClass();
		if (value == null) {
			if (raw.isPrimitive()) {
				throw new IllegalArgumentException(what + " is null, which a " + raw.getName()
						+ " cannot hold: declare the parameter with a wrapper type such as "
						+ WRAPPERS.get(raw).getSimpleName());
			}
			return null;
		}
		Class<?> valueClass = value.getClass();
		if (IMMUTABLE.contains(valueClass) || valueClass.isEnum()) {
			if (raw.isInstance(value) || (raw.isPrimitive() && WRAPPERS.get(raw) == valueClass)) {
				return value;
			}
		}
		try {
			return this.mapper.convertValue(value, type);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(what + " (" + valueClass.getName() + ") cannot be converted to "
					+ type.toCanonical() + ": " + ex.getMessage(), ex);
		}
	}


}
