import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional(), but `null` is still validated (and so refused by the type check): for fields that may be
 * left out but cannot be cleared, such as a bot's name. Fields that may be cleared use @IsOptional().
 */
export const IsOptionalNonNull = () => ValidateIf((_object, value) => value !== undefined);
